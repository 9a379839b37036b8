/**
 * A bound on how deeply a request body may nest, checked on the raw bytes before JSON.parse, so no later walk of the
 * body (the unknown-field check, zod, JSON.stringify into the store) can overflow the stack or cost more than linear
 * time: one pass, a stack no deeper than the bound. Deep bodies used to answer 500 from 8,000 levels on, and below
 * that cost quadratic time and memory (a 12 kB body held the server for ~0.7 s and its RSS grew by 700 MiB).
 */
import { HttpError } from './errors.ts';

/** More than any step needs (a body, its params, a list, its items: 4 levels), far less than any stack allows. */
const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const MAX_FIELD_LENGTH = 200;

/** One open object or array: for an object, where its current key's text lies; for an array, the current index. */
interface Frame {
  array: boolean;
  keyStart: number;
  keyEnd: number;
  index: number;
}

/**
 * Throws a 400 naming the field whose value opens a container deeper than `maxDepth`. Malformed JSON is left to
 * the parser (this pass never throws for it).
 */
export function checkJsonDepth(body: Buffer, maxDepth: number = MAX_JSON_DEPTH): void {
  const stack: Frame[] = [];
  let inString = false;
  let stringStart = 0;
  // In an object, the next string is a key (after `{` or `,`).
  let expectKey = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        inString = false;
        const top = stack.at(-1);
        if (expectKey && top && !top.array) [top.keyStart, top.keyEnd, expectKey] = [stringStart, i + 1, false];
      }
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (stack.length >= maxDepth) throw tooDeep(body, stack, maxDepth);
      stack.push({ array: byte === OPEN_ARRAY, keyStart: -1, keyEnd: -1, index: 0 });
      expectKey = byte === OPEN_OBJECT;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
    } else if (byte === COMMA) {
      const top = stack.at(-1);
      if (top?.array) top.index++;
      expectKey = top !== undefined && !top.array;
    }
  }
}

/** The 400 for a value nested too deeply, naming the path to it (`params.x.0.a`), shortened when very long. */
function tooDeep(body: Buffer, stack: Frame[], maxDepth: number): HttpError {
  const segments = stack.map((frame) => {
    if (frame.array) return String(frame.index);
    try {
      return String(JSON.parse(body.subarray(frame.keyStart, frame.keyEnd).toString('utf8'))).slice(0, 64);
    } catch {
      return '?';
    }
  });
  let field = '';
  for (const segment of segments) {
    const next = field ? `${field}.${segment}` : segment;
    if (next.length > MAX_FIELD_LENGTH) break;
    field = next;
  }
  field ||= 'body';
  return new HttpError(
    400,
    'invalid_field',
    `${field}: nested more than ${maxDepth} levels deep; send a flatter value`,
    { field },
  );
}
