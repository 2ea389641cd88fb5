/**
 * Reads the Kubernetes objects of a JSON dump one at a time, in memory bounded by the largest
 * object, not by the file: a `kubectl get ... -o json` List of 50,000 Services is scanned byte by
 * byte and each element of its top-level `items` array is parsed on its own and handed over. Also
 * accepted: a single object (`kubectl get cm kube-proxy -o json`), a top-level array of objects,
 * and several JSON documents one after another in one file (`>>` of several dumps).
 *
 * The scan only tracks nesting, strings and the top-level keys, so it works on bytes: the
 * structural characters are ASCII and never occur inside a multi-byte UTF-8 sequence. An element
 * is decoded and JSON.parse'd as a whole, so its errors are JSON.parse's, located by file and item.
 */
import { createReadStream } from 'node:fs';

// calibration-exempt-begin: the ASCII codes of JSON's structural and whitespace characters
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const SPACE = 0x20;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const TAB = 0x09;
// calibration-exempt-end
/** Characters of a line shown in an error. */
const PREVIEW_CHARS = 40; // calibration-exempt: presentation

/** Read size of the scan, bytes. */
const CHUNK_BYTES = 1 << 20; // calibration-exempt: an I/O buffer size, not a model quantity

export class JsonDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonDumpError';
  }
}

export interface DumpItem {
  /** The parsed object. */
  readonly value: unknown;
  /** `<file>: items[i]` (or `document d` for a lone object), for error messages. */
  readonly where: string;
  /** The `kind` of the List it came from, when the List named it before its items (API order). */
  readonly listKind: string | undefined;
}

const isSpace = (b: number): boolean => b === SPACE || b === LINE_FEED || b === CARRIAGE_RETURN || b === TAB;

/**
 * Yields every object in `path`: the items of each top-level List, or each top-level object that
 * is not a List. Throws JsonDumpError naming the file and the item for malformed JSON.
 */
export async function* readDumpItems(path: string): AsyncGenerator<DumpItem> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let docIndex = 0;
  let docIsArray = false;
  // Top-level object: its bytes except the items' contents (a lone object is parsed from them).
  let docChunks: Buffer[] = [];
  let docStart = -1;
  // Top-level keys and the string being read at depth 1.
  let keyBytes: Buffer[] | null = null;
  let keyStart = -1;
  let lastString: string | null = null;
  let currentKey: string | null = null;
  let listKind: string | undefined;
  let sawItems = false;
  // The items array (depth 2 between elements) and the element being read.
  let inItems = false;
  let itemIndex = 0;
  let itemChunks: Buffer[] = [];
  let itemStart = -1;
  const itemsDepth = (): number => (docIsArray ? 1 : 2);

  const finishItem = (bytes: Buffer): DumpItem => {
    const where = docIsArray ? `[${itemIndex}]` : `items[${itemIndex}]`;
    itemIndex++;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new JsonDumpError(`${path}: ${docLabel()}${where}: invalid JSON: ${(e as Error).message}`);
    }
    return { value, where: `${path}: ${docLabel()}${where}`, listKind };
  };
  const docLabel = (): string => (docIndex > 0 ? `document ${docIndex + 1} ` : '');

  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = chunk;
    const out: DumpItem[] = [];
    if (docStart >= 0) docStart = 0;
    if (itemStart >= 0) itemStart = 0;
    if (keyStart >= 0) keyStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (keyBytes !== null) {
            keyBytes.push(buf.subarray(keyStart, i));
            lastString = Buffer.concat(keyBytes).toString('utf8');
            keyBytes = null;
            keyStart = -1;
            if (currentKey === 'kind' && depth === 1) listKind = lastString;
          }
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (depth === 0) {
        if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          docIsArray = b === OPEN_BRACKET;
          docChunks = [];
          docStart = i;
          currentKey = null;
          lastString = null;
          listKind = undefined;
          sawItems = false;
          itemIndex = 0;
          inItems = docIsArray;
          depth = 1;
          continue;
        }
        const text = buf.subarray(i, Math.min(buf.length, i + PREVIEW_CHARS)).toString('utf8').split('\n')[0];
        throw new JsonDumpError(
          `${path}: ${docIndex === 0 ? 'not JSON' : `unexpected text after JSON document ${docIndex}`}: starts "${text}" (expected the JSON of kubectl get ... -o json; YAML is not read)`,
        );
      }
      // Start of an element of the items array.
      if (inItems && depth === itemsDepth() && itemStart < 0 && b !== COMMA && b !== CLOSE_BRACKET) {
        if (b !== OPEN_BRACE) {
          throw new JsonDumpError(`${path}: ${docLabel()}${docIsArray ? '' : 'items'}[${itemIndex}] is not an object (starts with "${String.fromCharCode(b)}")`);
        }
        if (!docIsArray && docStart >= 0) {
          docChunks.push(buf.subarray(docStart, i));
          docStart = -1;
        }
        itemStart = i;
        itemChunks = [];
      }
      if (b === QUOTE) {
        inString = true;
        if (depth === 1 && !docIsArray) {
          keyBytes = [];
          keyStart = i + 1;
        }
        continue;
      }
      if (depth === 1 && !docIsArray) {
        if (b === COLON) {
          currentKey = lastString;
          continue;
        }
        if (b === COMMA) {
          currentKey = null;
          continue;
        }
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (depth === 1 && !docIsArray && b === OPEN_BRACKET && currentKey === 'items') {
          inItems = true;
          sawItems = true;
        }
        depth++;
        continue;
      }
      if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth < 0) throw new JsonDumpError(`${path}: unbalanced "${String.fromCharCode(b)}" (not valid JSON)`);
        if (inItems && itemStart >= 0 && depth === itemsDepth()) {
          itemChunks.push(buf.subarray(itemStart, i + 1));
          out.push(finishItem(itemChunks.length === 1 ? itemChunks[0]! : Buffer.concat(itemChunks)));
          itemChunks = [];
          itemStart = -1;
          continue;
        }
        if (inItems && !docIsArray && depth === 1) {
          // The items array closed: the document resumes here (the kept bytes read "items":[]).
          inItems = false;
          docStart = i;
          continue;
        }
        if (depth === 0) {
          if (!docIsArray) {
            if (docStart >= 0) docChunks.push(buf.subarray(docStart, i + 1));
            docStart = -1;
            if (!sawItems) {
              let value: unknown;
              try {
                value = JSON.parse(Buffer.concat(docChunks).toString('utf8'));
              } catch (e) {
                throw new JsonDumpError(`${path}: ${docLabel() || 'document '}: invalid JSON: ${(e as Error).message}`);
              }
              out.push({ value, where: `${path}${docIndex > 0 ? `: document ${docIndex + 1}` : ''}`, listKind: undefined });
            }
          }
          docChunks = [];
          inItems = false;
          docIndex++;
        }
      }
    }
    // Carry what is still open into the next chunk.
    if (itemStart >= 0) itemChunks.push(Buffer.from(buf.subarray(itemStart)));
    if (docStart >= 0) docChunks.push(Buffer.from(buf.subarray(docStart)));
    if (keyBytes !== null && keyStart >= 0) keyBytes.push(Buffer.from(buf.subarray(keyStart)));
    yield* out;
  }
  if (depth !== 0 || inString) {
    throw new JsonDumpError(`${path}: ends inside a JSON ${inString ? 'string' : 'value'}${inItems ? ` (in item ${itemIndex})` : ''}: the file is truncated`);
  }
  if (docIndex === 0) throw new JsonDumpError(`${path}: empty: no JSON document`);
}
