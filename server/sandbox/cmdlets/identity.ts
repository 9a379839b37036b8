/**
 * How simulated cmdlets resolve -Identity and recipient parameters: case-insensitively, with `*` wildcards where the
 * real Get- cmdlets accept them.
 */
import type { CmdletValue } from '../../../src/runbook/core/cmdlets.ts';
import type { Mailbox } from '../state.ts';

/** True when `value` matches `pattern` (case-insensitive; `*` matches any run of characters). */
export function matchesIdentity(value: string, pattern: string): boolean {
  if (!pattern.includes('*')) return value.toLowerCase() === pattern.toLowerCase();
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** True when `pattern` is a wildcard pattern (no match is then an empty result, not an error). */
export function isWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** The mailbox `identity` names by name, alias, UPN, address, display name or GUID. */
export function findMailbox(mailboxes: readonly Mailbox[], identity: string): Mailbox | undefined {
  return mailboxes.find((m) =>
    [m.name, m.alias, m.userPrincipalName, m.primarySmtpAddress, m.displayName, m.guid].some((v) =>
      matchesIdentity(v, identity),
    ),
  );
}

/** A bound string parameter's value (binding guarantees the type). */
export function str(value: CmdletValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A bound string[] parameter's value. */
export function list(value: CmdletValue | undefined): string[] {
  return Array.isArray(value) ? value : [];
}
