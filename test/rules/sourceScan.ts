/**
 * Reading the project's own TypeScript sources for the repository-wide rules (stray numbers,
 * model purity): the .ts files under a folder, and a file's code with comments and string
 * contents blanked out (line breaks kept, template-literal expressions kept as code).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every .ts file under `dir`, recursively, sorted. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** True when the `/` at `i` starts a regular-expression literal (judged from the code before it). */
function startsRegex(out: string): boolean {
  const before = out.trimEnd();
  if (before === '') return true;
  if (/\b(return|typeof|case|in|of|new|delete|void|throw|yield|await)$/.test(before)) return true;
  return BEFORE_REGEX.has(before[before.length - 1]!);
}

/**
 * `src` with comments, string contents and regular-expression literals replaced by spaces (line
 * breaks kept), so only code remains.
 */
export function codeOnly(src: string): string {
  let out = '';
  let i = 0;
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && startsRegex(out)) {
      // A regular-expression literal: up to the closing / outside a character class, then its flags.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        else if (src[j] === '/' && !inClass) break;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/.test(src[j]!)) j++;
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        else if (c === '`' && src[j] === '$' && src[j + 1] === '{') {
          // A template expression is code: keep it up to its matching brace.
          let depth = 0;
          let k = j + 1;
          for (; k < src.length; k++) {
            if (src[k] === '{') depth++;
            else if (src[k] === '}' && --depth === 0) break;
          }
          out += blank(src.slice(i, j)) + src.slice(j, k + 1);
          i = k + 1;
          j = i - 1;
        }
        j++;
      }
      out += blank(src.slice(i, Math.min(j + 1, src.length)));
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
