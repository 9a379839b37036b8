/**
 * Known errors: how the runbook recognises an error (exact service wording wherever exchange-facts.md quotes it), what
 * it means, what to do next, and where the guide explains it. Steps list the ones they can meet; `matchKnownError`
 * finds the one that explains an error. The errors themselves live with what meets them: exchange/ for errors every
 * guide can meet, a guide's errors.ts for its own.
 */
import type { ExoError } from './cmdlets.ts';

/**
 * Where the text a known error matches comes from, as the errors page shows it:
 * - `quotes`: texts of exchange/error-texts.ts by id, the service's own wording (marked there where unconfirmed);
 * - `generic`: Exchange's generic wording for this kind of error, the exact text for this case unconfirmed;
 * - `powershell`: PowerShell's own wording, Exchange Online's text for this case unconfirmed;
 * - `sandbox`: the sandbox's wording for a situation whose real message is unconfirmed;
 * - `runbook`: no Exchange text, the runbook reports it itself (a wait that ran out).
 */
type Wording =
  | { quotes: readonly string[] }
  | { source: 'generic' | 'powershell' | 'sandbox'; text: string }
  | { source: 'runbook' };

/** A known Exchange error: how to recognise it, what it means, what to do, where the guide explains it. */
export interface KnownError {
  /** Stable id, also its heading id on the errors page. */
  id: string;
  /** Heading on the errors page, e.g. "Customization not enabled". */
  title: string;
  wording: Wording;
  /** Matched against `ExoError.message`; exact service wording wherever exchange-facts.md quotes it. */
  pattern: RegExp;
  /** Exception type name (last segment is enough), checked when present. */
  type?: string;
  meaning: string;
  action: string;
  /** Guide URL with anchor, e.g. `/guides/application-impersonation/#...`. */
  guide: string;
  /** When true the step counts as succeeded (e.g. "already enabled for customization"). */
  treatAsSuccess?: boolean;
  /** When true the step may be retried with backoff (propagation lag after customization). */
  retryable?: boolean;
}

/**
 * Builds an anchored pattern from the service's exact wording; each `<placeholder>` and each `...` (an elided part)
 * matches any text. Every other character is matched literally, so a quoted text can be used unchanged.
 */
export function exactText(...wordings: string[]): RegExp {
  const alternatives = wordings.map((w) =>
    w
      .split(/<[a-z]+>|\.\.\./)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[\\s\\S]+'),
  );
  return new RegExp(`^\\s*(?:${alternatives.join('|')})\\s*$`);
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

/** The first known error in `list` that explains `error`, if any. */
export function matchKnownError(list: readonly KnownError[], error: ExoError): KnownError | undefined {
  return list.find((k) => (!k.type || typeMatches(error.type, k.type)) && k.pattern.test(error.message));
}
