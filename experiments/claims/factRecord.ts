/**
 * One sourced fact about a real option, default, sysctl, metric, map or mechanism, the way the
 * calibration table holds a default number: the value, how far to trust it, and where it was read.
 * Configuration claims of the seed ("set X (default Y)", "metric Z shows ...") are checked against
 * these records, never against the model. The statuses follow docs/sources.md:
 * - sourced: the source states it as written here;
 * - derived: read off a source by a step the note names (a struct layout, a code path);
 * - unconfirmed: no readable source settles it; a claim tested against it is unsupported.
 */

export type FactStatus = 'sourced' | 'derived' | 'unconfirmed';

/** What a record states about its subject. */
export type FactKind = 'exists' | 'default' | 'name' | 'meaning' | 'limit';

export interface FactSource {
  /** GitHub owner/name, e.g. "cilium/cilium". */
  readonly repo?: string;
  /** Path inside `repo`. */
  readonly file?: string;
  /** The commit the file was read at, when known. */
  readonly commit?: string;
  readonly url?: string;
  /** What in the source states it: a constant, a table row, a sentence. */
  readonly where: string;
}

export interface FactRecord {
  /** Dotted, e.g. `cilium.option.bpfMapSize`. */
  readonly key: string;
  /** What the record is about, as a reader would search for it: "cilium-agent option bpf-map-size". */
  readonly subject: string;
  readonly kind: FactKind;
  /**
   * exists: whether the name exists; default: the default value; name: the real name; meaning: what
   * it does, in a short phrase; limit: the bound, in `unit`.
   */
  readonly value: string | number | boolean;
  readonly unit?: string;
  readonly status: FactStatus;
  readonly sources: readonly FactSource[];
  /** The section of docs/sources.md that collects it. */
  readonly anchor: string;
  /** One or two sentences: the fact in words, and what to use instead when a name does not exist. */
  readonly note: string;
}

/** Validates one record; throws naming the key and the field that is wrong. */
export function checkFact(f: FactRecord): void {
  const where = `fact record "${f.key}"`;
  if (!/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/.test(f.key)) throw new Error(`${where}: key must look like area.subject (dotted camelCase)`);
  if (!f.subject) throw new Error(`${where}: subject is required`);
  if (typeof f.value === 'number' && !Number.isFinite(f.value)) throw new Error(`${where}: value must be finite, got ${f.value}`);
  if (f.kind === 'limit' && (typeof f.value !== 'number' || !f.unit)) throw new Error(`${where}: a limit needs a number and a unit`);
  if (f.kind === 'exists' && typeof f.value !== 'boolean') throw new Error(`${where}: an exists record holds true or false`);
  if (f.sources.length === 0 && f.status !== 'unconfirmed') throw new Error(`${where}: a ${f.status} record needs at least one source`);
  for (const s of f.sources) {
    if (!s.url && !(s.repo && s.file)) throw new Error(`${where}: each source needs a url or a repo and file`);
    if (!s.where) throw new Error(`${where}: each source must say where in it the fact is stated`);
  }
  if (!/^[a-z0-9-]+$/.test(f.anchor)) throw new Error(`${where}: anchor must be a docs/sources.md anchor such as "cilium-policy-limits", got "${f.anchor}"`);
  if (!f.note) throw new Error(`${where}: note is required`);
}

/** "repo file @commit (where)" or "url (where)": how a source is cited in tables and JSON. */
export function citeSource(s: FactSource): string {
  const place = s.repo && s.file ? `${s.repo} ${s.file}${s.commit ? ` @${s.commit.slice(0, 7)}` : ''}` : s.url!; // calibration-exempt: presentation (a commit cited by its 7-character short hash)
  const link = s.repo && s.file && s.url ? ` (${s.url})` : '';
  return `${place}${link}: ${s.where}`;
}
