/**
 * A tiny PowerShell tokenizer and layout for the step previews, used at build time (RunStep.astro) and in the browser
 * when the reader edits a parameter, so both show the same colours and wrap the same way without shipping a
 * highlighter. It only needs to know the shapes `renderScript` produces: cmdlets (at a line's start, after `$x = `,
 * in a `foreach (...) { }` or after a pipe), -Parameters, 'strings', $variables, numbers, a `| Format-List` tail;
 * like Shiki's PowerShell grammar it colours a parameter's dash as an operator.
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
  ['cmdlet', /(?<=^|\n|\| |= |\{ )[A-Za-z]+-[A-Za-z]+/y],
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
      if (m) {
        matched = { kind, text: m[0] };
        break;
      }
    }
    const token = matched ?? { kind: 'plain' as const, text: script[i]! };
    const last = tokens.at(-1);
    if (token.kind === 'plain' && last?.kind === 'plain') last.text += token.text;
    else tokens.push(token);
    i += token.text.length;
  }
  return tokens;
}

/**
 * A run of tokens a line may not break inside (a cmdlet, `-Name`, a word of a value), or what lies between two: a
 * space, or '' where a long value may wrap without one (after the `,` between list items, after an address's `@`).
 */
export type Unit = { tokens: Token[] } | { space: string };

/**
 * Lays a script out in lines of units. A line wraps only between units, so `-Members` or `svc-ews@contoso.com` never
 * break at their hyphens; a quoted value with spaces may wrap between words, a list between its items.
 */
export function layoutPowerShell(script: string): Unit[][] {
  const lines: Unit[][] = [[]];
  let word: Token[] | undefined;
  for (const token of tokenizePowerShell(script)) {
    for (const piece of token.text.split(/( +|\n|(?<=[@,]))/)) {
      if (piece === '' || piece === undefined) continue;
      if (piece === '\n') {
        lines.push([]);
        word = undefined;
      } else if (piece.startsWith(' ')) {
        lines.at(-1)!.push({ space: piece });
        word = undefined;
      } else {
        if (!word) lines.at(-1)!.push({ tokens: (word = []) });
        word.push({ kind: token.kind, text: piece });
        if (/[@,]$/.test(piece)) {
          lines.at(-1)!.push({ space: '' });
          word = undefined;
        }
      }
    }
  }
  return lines;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** The preview as HTML (for the built page): every value escaped, the same markup `renderPowerShell` builds. */
export function powerShellHtml(script: string): string {
  const lines = layoutPowerShell(script).map((line) =>
    line
      .map((unit) =>
        'space' in unit
          ? unit.space || '<wbr>'
          : `<span class="ps-unit">${unit.tokens.map((t) => `<span class="ps-${t.kind}">${escapeHtml(t.text)}</span>`).join('')}</span>`,
      )
      .join(''),
  );
  return `<pre tabindex="0"><code>${lines.map((line) => `<span class="ps-line">${line}</span>`).join('\n')}</code></pre>`;
}

/** The preview as elements (in the browser), from the same layout. */
export function renderPowerShell(script: string): HTMLPreElement {
  const span = (className: string, ...children: Array<Node | string>) => {
    const node = document.createElement('span');
    node.className = className;
    node.append(...children);
    return node;
  };
  const code = document.createElement('code');
  layoutPowerShell(script).forEach((line, i) => {
    if (i > 0) code.append('\n');
    code.append(
      span(
        'ps-line',
        ...line.map((unit) =>
          'space' in unit
            ? unit.space || document.createElement('wbr')
            : span('ps-unit', ...unit.tokens.map((t) => span(`ps-${t.kind}`, t.text))),
        ),
      ),
    );
  });
  const pre = document.createElement('pre');
  pre.tabIndex = 0;
  pre.append(code);
  return pre;
}
