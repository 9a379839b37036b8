/**
 * Break opportunities inside long compound words such as "ApplicationImpersonation": a narrow screen then wraps the
 * title between "Application" and "Impersonation" instead of mid-word ("ApplicationImperson" / "ation"). Rendered as
 * `<wbr>`, so copying, find-in-page and search see the word unchanged.
 */

/** Words shorter than this never need a break of their own. */
const LONG_WORD = 16;

/** `text` cut where a long word changes from a lower-case letter to an upper-case one; join the parts with `<wbr>`. */
export function wordBreakParts(text: string): string[] {
  const parts = [''];
  for (const token of text.split(/(\s+)/)) {
    const [first = '', ...rest] = token.length >= LONG_WORD ? token.split(/(?<=[a-z])(?=[A-Z])/) : [token];
    parts.push(parts.pop() + first, ...rest);
  }
  return parts;
}
