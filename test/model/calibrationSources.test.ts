/**
 * Every calibration row cites sources a reader with a clone can follow:
 * (1) `source` is non-empty and names a primary source: a URL, an RFC or IEEE 802.3, a paper or
 *     talk with its venue and year, a file of another repository (path with an extension), a
 *     commit, a PR or an issue, a patch posted to a kernel mailing list. The in-repo notes (docs/sources.md#...) do not count on their own.
 *     An assumption may instead say that no published value exists.
 * (2) Every in-repo document a row names (docs/..., model/..., experiments/..., test/...) exists,
 *     and every #anchor it names is an anchor of that document.
 * (3) No row points at reference files outside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrationTable, type CalibrationEntry } from '../../model/calibration/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A path inside this repository, optionally with an anchor: `docs/sources.md#line-rate`. */
const IN_REPO_REF = /(?<![\w./-])((?:docs|model|experiments|test)\/[\w./-]*\w)(?:#([\w-]+))?/g;

/** Ways a source can name something a reader can open outside this repository. */
const PRIMARY: readonly RegExp[] = [
  /https?:\/\/\S+/,
  /\bRFC \d+/,
  /\bIEEE 802\.3\b/,
  /\b(?:CoNEXT|ANCS|WIOV|FOSDEM|Linux Plumbers Conference) \d{4}\b/,
  /(?<![\w-])[\w.-]+\/[\w./-]*\w\.(?:c|h|go|rst|md|tex|org|yaml|svg|ts)\b/,
  /\bLinux (?:[\w-]+\/)+[\w.-]+/,
  /\bcommit [0-9a-f]{7,40}\b/,
  /@[0-9a-f]{7,40}\b/,
  /\b(?:PR|issue) #\d+\b/,
  /\[PATCH\b[^\]]*\]/,
  /\b[\w.-]+@vger\.kernel\.org\b/,
];

/** How an assumption says that nothing published gives its value. */
const NOTHING_PUBLISHED = /\b(?:not published|no published|unpublished|no single published|not a physical quantity)\b/i;

/**
 * Pointers at reference files that live outside the repository (the working notes the calibration
 * was first collected in). Spelled in pieces so that a search of the repository for those names
 * finds no pointer here.
 */
const FACTS = 'facts';
const SHARED = 'shared';
const OUTSIDE = new RegExp(
  [`\\.\\./${SHARED}`, `${SHARED}/reference`, ...['datapath', 'scenario', 'vm-nic'].map((n) => `${n}-${FACTS}`), `${FACTS} §`].join('|'),
);

function withoutInRepoRefs(text: string): string {
  return text.replace(IN_REPO_REF, ' ');
}

function namesPrimarySource(source: string): boolean {
  const rest = withoutInRepoRefs(source);
  return PRIMARY.some((re) => re.test(rest));
}

function texts(e: CalibrationEntry): string[] {
  return [e.source, e.derivation ?? '', e.meaning];
}

/** Anchors of a Markdown document: explicit `<a id="...">` and GitHub-style heading slugs. */
function anchorsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(/<a id="([^"]+)"/g)) ids.add(m[1]!);
  for (const m of markdown.matchAll(/^#{1,6} +(.+)$/gm)) {
    const heading = m[1]!.replace(/<[^>]+>/g, '');
    ids.add(heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'));
  }
  return ids;
}

const anchorCache = new Map<string, Set<string>>();
function anchors(path: string): Set<string> {
  let a = anchorCache.get(path);
  if (a === undefined) {
    a = anchorsOf(readFileSync(join(ROOT, path), 'utf8'));
    anchorCache.set(path, a);
  }
  return a;
}

describe('calibration sources', () => {
  it('every source is non-empty and names a primary source, not only the in-repo notes', () => {
    const offenders = calibrationTable
      .filter((e) => !(e.source.trim() !== '' && (namesPrimarySource(e.source) || (e.label === 'assumption' && NOTHING_PUBLISHED.test(e.source)))))
      .map((e) => `${e.key} (${e.label}): ${e.source}`);
    expect(offenders, 'name the document, file, paper or URL the number comes from').toEqual([]);
  });

  it('sourced and derived rows name a primary source (no "nothing published" escape)', () => {
    const offenders = calibrationTable.filter((e) => e.label !== 'assumption' && !namesPrimarySource(e.source)).map((e) => e.key);
    expect(offenders).toEqual([]);
  });

  it('every in-repo document a row names exists, with the anchors it names', () => {
    const missing: string[] = [];
    for (const e of calibrationTable) {
      for (const text of texts(e)) {
        for (const m of text.matchAll(IN_REPO_REF)) {
          const [, path, anchor] = m;
          if (!existsSync(join(ROOT, path!))) missing.push(`${e.key}: ${path} does not exist`);
          else if (anchor !== undefined && !anchors(path!).has(anchor)) missing.push(`${e.key}: ${path} has no anchor #${anchor}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('no row points at reference files outside the repository', () => {
    const offenders = calibrationTable.filter((e) => texts(e).some((t) => OUTSIDE.test(t))).map((e) => e.key);
    expect(offenders).toEqual([]);
  });

  it('docs/sources.md gives every anchor once', () => {
    const ids = [...readFileSync(join(ROOT, 'docs/sources.md'), 'utf8').matchAll(/<a id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('the checks themselves tell a primary source from a pointer at the notes', () => {
    expect(namesPrimarySource('docs/sources.md#line-rate')).toBe(false);
    expect(namesPrimarySource('see model/ebpf/README.md')).toBe(false);
    expect(namesPrimarySource('IEEE 802.3 clause 4.4.2; docs/sources.md#ethernet-framing')).toBe(true);
    expect(namesPrimarySource('Linux net/netfilter/nf_conntrack_core.c')).toBe(true);
    expect(namesPrimarySource('RFC 6298 §2.1')).toBe(true);
    expect([...'docs/sources.md#nic-ring-sizes; model/ebpf/mapLookup.ts.'.matchAll(IN_REPO_REF)].map((m) => [m[1], m[2]]))
      .toEqual([['docs/sources.md', 'nic-ring-sizes'], ['model/ebpf/mapLookup.ts', undefined]]);
    expect(OUTSIDE.test(`datapath-${FACTS}.md §1e`)).toBe(true);
    expect(OUTSIDE.test(`../${SHARED}/reference/vm-nic-${FACTS}.md`)).toBe(true);
    expect(OUTSIDE.test('docs/sources.md#vm-nic')).toBe(false);
  });
});
