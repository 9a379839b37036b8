/**
 * Renders cmdlet calls as PowerShell a reader can copy. Only the preview is text: the companion never executes it.
 * Every value is a single-quoted literal, so nothing in it is expanded or executed when pasted into a shell.
 */
import { BOOLEAN_PARAMETERS, type CmdletCall, type CmdletValue } from './cmdlets.ts';

// PowerShell treats U+2018..U+201B like the ASCII apostrophe inside single-quoted strings; each is escaped by doubling.
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;
// Control characters (except tab and newline) cannot be pasted reliably; they are spelled as [char] casts.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;

/** Quotes one string as a PowerShell literal that evaluates to exactly that string. */
export function quoteString(value: string): string {
  // A bare '--%' argument is PowerShell's stop-parsing token even when quoted: the rest of the line would be taken
  // verbatim. In parentheses it is an ordinary expression.
  if (value === '--%') return "('--%')";
  if (!CONTROL.test(value)) return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    if (CONTROL.test(ch)) {
      if (run) parts.push(quoteString(run));
      run = '';
      parts.push(`[char]0x${ch.codePointAt(0)!.toString(16).padStart(2, '0')}`);
    } else run += ch;
  }
  if (run) parts.push(quoteString(run));
  return `(${parts.join(' + ')})`;
}

/** Renders one parameter value. */
function renderValue(value: CmdletValue): string {
  if (value === null) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? '@()' : value.map(quoteString).join(',');
  return quoteString(value);
}

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Renders one call, e.g. `New-RoleGroup -Name 'Impersonation' -Roles 'ApplicationImpersonation'`. */
export function renderCall(call: CmdletCall): string {
  const parts: string[] = [call.cmdlet];
  const booleans = BOOLEAN_PARAMETERS[call.cmdlet] ?? [];
  for (const [name, value] of Object.entries(call.params)) {
    if (!PARAM_NAME.test(name)) throw new TypeError(`invalid parameter name: ${name}`);
    if (value === true && booleans.includes(name)) parts.push(`-${name} $true`);
    else if (value === true) parts.push(`-${name}`);
    else if (value === false) parts.push(`-${name}:$false`);
    else parts.push(`-${name} ${renderValue(value)}`);
  }
  return parts.join(' ');
}

/** Renders a list of calls, one per line. */
export function renderScript(calls: CmdletCall[]): string {
  return calls.map(renderCall).join('\n');
}
