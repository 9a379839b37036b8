/**
 * Renders cmdlet calls as PowerShell a reader can copy. Only the preview is text: the companion never executes it.
 * Every value is a single-quoted literal, so nothing in it is expanded or executed when pasted into a shell; the
 * only variables are the plan's own (`$sp = Get-ServicePrincipal ...`, then `-App $sp.ObjectId`), named in code.
 */
import { BOOLEAN_PARAMETERS, type CmdletValue, type OutputRef, type PlannedCall } from './cmdlets.ts';

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

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** A parameter, variable or property name; anything else would be PowerShell syntax, so it is refused. */
function checkedName(name: string, what: string): string {
  if (!NAME.test(name)) throw new TypeError(`invalid ${what} name: ${name}`);
  return name;
}

/** True for a value taken from an earlier call's output. */
export function isOutputRef(value: CmdletValue | OutputRef): value is OutputRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Renders one call, e.g. `New-RoleGroup -Name 'Impersonation' -Roles 'ApplicationImpersonation'`, or
 * `Get-OrganizationConfig | Format-List IsDehydrated` for a call that names the properties to `show`.
 */
export function renderCall(call: PlannedCall): string {
  const parts: string[] = [call.cmdlet];
  const booleans = BOOLEAN_PARAMETERS[call.cmdlet] ?? [];
  for (const [name, value] of Object.entries(call.params)) {
    checkedName(name, 'parameter');
    if (isOutputRef(value))
      parts.push(`-${name} $${checkedName(value.output, 'variable')}.${checkedName(value.property, 'property')}`);
    else if (value === true && booleans.includes(name)) parts.push(`-${name} $true`);
    else if (value === true) parts.push(`-${name}`);
    else if (value === false) parts.push(`-${name}:$false`);
    else parts.push(`-${name} ${renderValue(value)}`);
  }
  if (call.show?.length)
    parts.push('|', 'Format-List', call.show.map((name) => checkedName(name, 'property')).join(','));
  const line = parts.join(' ');
  const saved = call.saveAs === undefined ? line : `$${checkedName(call.saveAs, 'variable')} = ${line}`;
  if (!call.forEach) return saved;
  return `foreach ($${checkedName(call.forEach.as, 'variable')} in $${checkedName(call.forEach.output, 'variable')}) { ${saved} }`;
}

/** Renders a plan, one call per line. */
export function renderScript(calls: PlannedCall[]): string {
  return calls.map(renderCall).join('\n');
}
