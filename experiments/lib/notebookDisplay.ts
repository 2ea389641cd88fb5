/**
 * How a value shows itself in a notebook. Deno's Jupyter kernel displays any value that has a
 * `[Symbol.for('Jupyter.display')]()` method as the MIME bundle the method returns (the kernel's
 * own convention), so the notebook helpers build plain objects with that method and run, and are
 * tested, under Node too.
 *
 * Notebooks show things with `await show(value)` rather than by ending a cell with the value:
 * Deno's kernel publishes a cell's last value without waiting for it, and its displays can reach
 * Jupyter just after the cell's "idle" status, which headless execution (nbclient, nbconvert)
 * takes as the end of the cell's output, so the output is sometimes lost. `show` awaits the
 * display and then pauses briefly before the cell ends. Interactive frontends (JupyterLab,
 * VS Code) attach late outputs to their cell anyway; the pause is for `npm run notebooks`.
 */

/** The symbol Deno's kernel looks for on a cell's value (and on what `Deno.jupyter.display` gets). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display') as never;

/** MIME type -> content: strings for text and base64 images, objects for JSON types. */
export type MimeBundle = Record<string, unknown>;

export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** A value that a notebook frontend shows as `bundle`. */
export function displayable<T extends object>(value: T, bundle: () => MimeBundle): T & Displayable {
  return Object.assign(value, { [JUPYTER_DISPLAY]: bundle });
}

export function isDisplayable(value: unknown): value is Displayable {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Displayable>)[JUPYTER_DISPLAY] === 'function';
}

/** Markdown text (rendered by JupyterLab, VS Code and nbconvert), plain text elsewhere. */
export function markdown(text: string): Displayable & { text: string } {
  return displayable({ text }, () => ({ 'text/markdown': text, 'text/plain': text }));
}

/** The bundle a value is shown as: its own for a Displayable, else text/plain. */
export function mimeBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) return value[JUPYTER_DISPLAY]();
  const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x), 2) ?? String(v);
  return { 'text/plain': typeof value === 'string' ? value : json(value) };
}

/**
 * Time given to Deno's kernel to publish a display before the cell ends, ms: the gap between a
 * display and the cell's idle status that loses no output in repeated headless runs of large
 * displays on a loaded two-core machine.
 */
export const DISPLAY_SETTLE_MS = 50; // calibration-exempt: a pause for the kernel's output, not a model quantity

interface DenoJupyter {
  jupyter?: { display(bundle: MimeBundle, options: { raw: true }): Promise<void> };
}

/**
 * Shows `value` as a cell output now: in Deno's Jupyter kernel through `Deno.jupyter.display`,
 * elsewhere (a script under Node or Deno) by printing its text/plain form.
 */
export async function show(value: unknown): Promise<void> {
  const bundle = mimeBundle(value);
  const jupyter = (globalThis as { Deno?: DenoJupyter }).Deno?.jupyter;
  if (jupyter === undefined) {
    console.log(String(bundle['text/plain'] ?? ''));
    return;
  }
  await jupyter.display(bundle, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, DISPLAY_SETTLE_MS));
}
