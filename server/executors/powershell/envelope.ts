/**
 * The wire format between Node and the helper module (server/pwsh/CompanionStep.psm1): a request travels as one
 * constant command line carrying base64 JSON, the answer as one marker-prefixed JSON line on stdout.
 */
import type { Cmdlet, CmdletResult, CmdletValue, ExoError } from '../../../src/runbook/core/cmdlets.ts';
import { isGenericExceptionType } from '../../../src/runbook/core/known-errors.ts';

/** Prefix of the one line the helper writes per call; anything else on stdout (banners, terminal codes) is ignored. */
export const ENVELOPE_MARKER = '@@RUNBOOK-ENVELOPE@@';

/** What the helper can be asked to do: describe itself, connect, or run one allow-listed cmdlet. */
export type HelperRequest =
  | { op: 'info' }
  | { op: 'connect'; params: { AccessToken: string; UserPrincipalName: string } }
  | { op: 'cmdlet'; cmdlet: Cmdlet; params: Record<string, CmdletValue> };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The single line sent to pwsh for a request. Only base64 characters follow the constant command name. */
export function requestLine(request: HelperRequest): string {
  const encoded = Buffer.from(JSON.stringify(request), 'utf8').toString('base64');
  // Cannot fail for Buffer#toString('base64'); kept because this line is the whole injection defence.
  if (!BASE64.test(encoded)) throw new Error('request encoding produced non-base64 text');
  return `Invoke-CompanionStep '${encoded}'`;
}

/** An error record as the helper writes it (server/pwsh/CompanionStep.psm1), before normalization. */
export interface RawErrorRecord {
  message?: unknown;
  type?: unknown;
  fqid?: unknown;
  category?: unknown;
  reason?: unknown;
}

/** The helper's envelope as written (before normalization). */
type RawEnvelope = { ok: true; data: unknown } | { ok: false; error: RawErrorRecord };

/** Finds the envelope in a call's stdout; `undefined` when the helper never wrote one. */
export function parseEnvelope(stdout: string): CmdletResult | undefined {
  const line = stdout.split(/\r?\n/).findLast((l) => l.includes(ENVELOPE_MARKER));
  if (line === undefined) return undefined;
  const raw = JSON.parse(line.slice(line.indexOf(ENVELOPE_MARKER) + ENVELOPE_MARKER.length)) as RawEnvelope;
  if (raw.ok) return { ok: true, data: raw.data ?? null };
  return { ok: false, error: toExoError(raw.error) };
}

/**
 * The V3 module's prefix in front of the service's text, in either of the two shapes seen in 2023-2026 captures
 * (test/fixtures/exchange-captures/): `Ex94914C|Microsoft.Exchange...ManagementObjectNotFoundException|<text>`, or
 * with code and type left empty, `||<text>` (also `|<type>|<text>`, code only empty).
 */
const MODULE_PREFIX = /^(?:Ex[0-9A-F]{6})?\|([\w.+`]*)\|([\s\S]*)$/;

/** `[FailureCategory=Cmdlet-<ExceptionName>]` in a FullyQualifiedErrorId: Exchange's own name for the error. */
const FAILURE_CATEGORY = /\[FailureCategory=Cmdlet-([\w.]+)\]/;

/** A field of the helper's JSON as text: strings as they are, anything else as JSON, missing as `fallback`. */
function text(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Normalizes an error record from the helper: the module's prefix is removed so `message` is the service's own text
 * (any context Exchange itself puts first, such as `Active Directory operation failed on <DC>.`, stays), and `type`
 * is the exception's name from the first place that has it: the prefix, the FQID's FailureCategory, then
 * CategoryInfo.Reason; the record's own exception type when none of them names one.
 */
export function toExoError(error: RawErrorRecord): ExoError {
  const raw = text(error.message, '');
  const prefixed = MODULE_PREFIX.exec(raw);
  const recordType = text(error.type, '') || 'System.Exception';
  const fqid = typeof error.fqid === 'string' ? error.fqid : '';
  const reason = typeof error.reason === 'string' ? error.reason : '';
  const named = [prefixed?.[1] ?? '', FAILURE_CATEGORY.exec(fqid)?.[1] ?? '', reason].find(
    (t) => !isGenericExceptionType(t),
  );
  const normalized: ExoError = { message: prefixed ? prefixed[2]! : raw, type: fullTypeName(named, recordType) };
  for (const key of ['fqid', 'category', 'reason'] as const) {
    if (typeof error[key] === 'string' && error[key] !== '') normalized[key] = error[key];
  }
  return normalized;
}

/** The exception type: `named` (keeping the record's full name when it is the same class), else the record's own. */
function fullTypeName(named: string | undefined, recordType: string): string {
  if (named === undefined) return recordType;
  if (named.includes('.')) return named;
  return recordType === named || recordType.endsWith(`.${named}`) ? recordType : named;
}

/**
 * What a cmdlet's output looks like after the PowerShell pipeline: no output is `null`, one object is that object,
 * several are an array. The sandbox executor can apply it to answer in exactly the shape pwsh does.
 */
export function asPipelineOutput(data: unknown): unknown {
  if (!Array.isArray(data)) return data ?? null;
  if (data.length === 0) return null;
  return data.length === 1 ? data[0] : data;
}
