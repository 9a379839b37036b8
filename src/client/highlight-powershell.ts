/**
 * A tiny PowerShell tokenizer for the live preview: the build-time preview is highlighted by Shiki, and when the reader
 * edits a parameter the script is re-rendered in the browser with the same colours without shipping a highlighter.
 * It only needs to know the shapes `renderScript` produces: cmdlets (at a line's start, after `$x = ` or in a
 * `foreach (...) { }`), -Parameters, 'strings', $variables, numbers; like Shiki's PowerShell grammar it colours a
 * parameter's dash as an operator and leaves its name plain.
 */
type TokenKind = 'cmdlet' | 'operator' | 'parameter' | 'string' | 'variable' | 'number' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

// Single-quoted strings double their quotes (PowerShell also treats U+2018..U+201B as quotes).
const PATTERNS: Array<[TokenKind, RegExp]> = [
  ['string', /'(?:[^'\u2018-\u201B]|['\u2018-\u201B]{2})*'/y],
  ['variable', /\$[A-Za-z_][A-Za-z0-9_]*/y],
  ['cmdlet', /(?<=^|\n|= |\{ )[A-Za-z]+-[A-Za-z]+/y],
  ['operator', /(?<=\s)-(?=[A-Za-z])/y],
  ['parameter', /(?<=\s-)[A-Za-z][A-Za-z0-9]*/y],
  ['number', /(?<![\w-])(?:0x[0-9a-fA-F]+|\d+)(?![\w])/y],
];

/** Splits a script into tokens whose texts, joined, give back the script exactly. */
export function tokenizePowerShell(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < script.length) {
    let matched: Token | undefined;
    for (const [kind, pattern] of PATTERNS) {
      pattern.lastIndex = i;
      const m = pattern.exec(script);
      if (m) { matched = { kind, text: m[0] }; break; }
    }
    const token = matched ?? { kind: 'plain' as const, text: script[i]! };
    const last = tokens.at(-1);
    if (token.kind === 'plain' && last?.kind === 'plain') last.text += token.text;
    else tokens.push(token);
    i += token.text.length;
  }
  return tokens;
}
