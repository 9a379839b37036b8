/**
 * Known errors: how the runbook recognises an error (exact service wording wherever exchange-facts.md quotes it), what
 * it means, what to do next, and where the guide explains it. Steps list the ones they can meet; `matchKnownError`
 * finds the one that explains an error. The errors themselves live with what meets them: exchange/ for errors every
 * guide can meet, a guide's errors.ts for its own.
 */
import type { ExoError } from './cmdlets.ts';

/**
 * Where the text a known error matches comes from, as the errors page shows it:
 * - `quotes`: texts of exchange/error-texts.ts by id, the service's own wording (marked there where unconfirmed;
 *   `exact` when every one of them is confirmed; `confirmed` finds the confirmed ones, so a message that holds one of
 *   them is Exchange's exact words even when another quote of the same error is unconfirmed);
 * - `generic`: Exchange's generic wording for this kind of error, the exact text for this case unconfirmed;
 * - `powershell`: PowerShell's own wording, Exchange Online's text for this case unconfirmed;
 * - `sandbox`: the sandbox's wording for a situation whose real message is unconfirmed;
 * - `runbook`: no Exchange text, the runbook reports it itself (a wait that ran out; `note` says what else).
 */
type Wording =
  | { quotes: readonly string[]; exact: boolean; confirmed?: RegExp }
  | { source: 'generic' | 'powershell' | 'sandbox'; text: string }
  | { source: 'runbook'; note?: string };

/** A known Exchange error: how to recognise it, what it means, what to do, where the guide explains it. */
export interface KnownError {
  /** Stable id, also its heading id on the errors page. */
  id: string;
  /** Heading on the errors page, e.g. "Customization not enabled". */
  title: string;
  wording: Wording;
  /**
   * Matched against `ExoError.message` anywhere in it (context before or after the service's text still matches);
   * exact service wording wherever exchange-facts.md quotes it.
   */
  pattern: RegExp;
  /** Exception type name (last segment is enough), checked when the error names one (not a bare System.Exception). */
  type?: string;
  meaning: string;
  action: string;
  /** Guide URL with anchor, e.g. `/guides/application-impersonation/#...`. */
  guide: string;
  /** When true the step counts as succeeded (e.g. "already enabled for customization"). */
  treatAsSuccess?: boolean;
  /** When true the step may be retried with backoff (propagation lag after customization). */
  retryable?: boolean;
  /**
   * When true the text never selects it (its pattern matches anything): only a step that knows the context names it.
   */
  chosenByStep?: boolean;
}

/**
 * Builds a pattern that finds the service's exact wording anywhere in a message, so context Exchange or a portal puts
 * around it (`Active Directory operation failed on <DC>.`, `Error executing request.`) does not hide it. Each
 * `<placeholder>` and each `...` (an elided part) matches any text, a final period is optional (copies often drop
 * it), and every other character is matched literally, so a quoted text can be used unchanged.
 */
export function exactText(...wordings: string[]): RegExp {
  const alternatives = wordings.map((w) =>
    w
      .replace(/(?<!\.)\.$/, '')
      .split(/<[a-z][a-z ]*>|\.\.\./)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[\\s\\S]+?'),
  );
  return new RegExp(`(?:${alternatives.join('|')})`);
}

// Exception names that say nothing: a record of one of these has not told which Exchange error it is.
const GENERIC_EXCEPTION_TYPES = new Set([
  '',
  'Exception',
  'System.Exception',
  'RuntimeException',
  'System.Management.Automation.RuntimeException',
  'RemoteException',
  'System.Management.Automation.RemoteException',
  'CimException',
  'Microsoft.Management.Infrastructure.CimException',
]);

/** True when `type` names no particular exception (the V3 module's bare `||<text>` errors often come as these). */
export function isGenericExceptionType(type: string): boolean {
  return GENERIC_EXCEPTION_TYPES.has(type);
}

/** The pattern and wording of an error text that is not quoted in exchange/error-texts.ts (see `Wording`). */
export function ownWording(
  source: 'generic' | 'powershell' | 'sandbox',
  text: string,
): Pick<KnownError, 'pattern' | 'wording'> {
  return { pattern: exactText(text), wording: { source, text } };
}

/** Type prefix of failures the runbook itself reports (not Exchange), e.g. a wait that ran out of time. */
export const RUNBOOK_ERROR_PREFIX = 'Runbook.';

/** True when an error's exception type is `expected` (full name, or just its last segment). */
function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || actual.endsWith(`.${expected}`) || expected.endsWith(`.${actual}`);
}

/**
 * The first known error in `list` that explains `error`, if any: its wording is in the message, and the exception
 * matches where the record names one (a record that names none is judged by its text alone).
 */
export function matchKnownError(list: readonly KnownError[], error: ExoError): KnownError | undefined {
  return list.find(
    (k) =>
      !k.chosenByStep &&
      (!k.type || isGenericExceptionType(error.type) || typeMatches(error.type, k.type)) &&
      k.pattern.test(error.message),
  );
}
