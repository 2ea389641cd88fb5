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

/** `src` with comments and string contents replaced by spaces (line breaks kept), so only code remains. */
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
