/**
 * Files the charts and the report read from installed packages: the DejaVu TTFs that resvg renders
 * text with, and the browser builds of vega, vega-lite and vega-embed that the offline report
 * inlines. Packages are found the way Node finds them (node_modules folders from here upward),
 * because some of them (dejavu-fonts-ttf, vega-embed) export no entry that points at these files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

/** The installed folder of package `name` (the one holding its package.json). */
export function packageDir(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      cache.set(name, candidate);
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package "${name}" is not installed (no node_modules/${name}/package.json above ${fileURLToPath(import.meta.url)}); run npm ci`);
    dir = parent;
  }
}

/** The DejaVu faces a chart can ask for: Sans in four styles (titles are bold) and Sans Mono. */
export function dejavuFontFiles(): string[] {
  const ttf = join(packageDir('dejavu-fonts-ttf'), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf', 'DejaVuSansMono.ttf'].map((f) =>
    join(ttf, f),
  );
}

export const CHART_FONT_FAMILY = 'DejaVu Sans';

/** The browser (UMD) builds, in load order: vega, then vega-lite, then vega-embed, which needs both. */
export function vegaBrowserBundles(): { name: string; version: string; code: string }[] {
  return [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ].map(([name, file]) => {
    const dir = packageDir(name!);
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return { name: name!, version, code: readFileSync(join(dir, file!), 'utf8') };
  });
}
