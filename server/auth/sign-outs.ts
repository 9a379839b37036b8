/**
 * Sandbox mode: who signed out when, so the companion, which issued the tokens, refuses every token of that admin
 * issued before (`iat` up to the sign-out's second), and issues the next one from the second after. Tenant mode does
 * not use this: Entra back-dates `iat` (by about five minutes), so a fresh sign-in right after a sign-out would look
 * older than it; there, tokens stay valid until they expire and sign-out ends the PowerShell session only.
 * Kept in memory (a restart forgets sign-outs), bounded: a mark older than the token lifetime can refuse nothing.
 */
export interface SignOuts {
  /** Marks the admin (tid:oid key) signed out now. */
  record(key: string): void;
  /** True for a token of the admin issued at `iat` (seconds) at or before their last sign-out. */
  revoked(key: string, iat: number | undefined): boolean;
  /** The `iat` for a token issued to the admin now: never within the second of their last sign-out. */
  issuedAt(key: string): number;
}

const MAX_ENTRIES = 10_000;

/** Sign-outs for tokens living `lifetimeSeconds`; `now` is injectable for tests. */
export function createSignOuts(lifetimeSeconds: number, now: () => number = Date.now): SignOuts {
  const marks = new Map<string, number>();
  const seconds = () => Math.floor(now() / 1000);
  /** Drops marks no live token can predate, then the oldest if there are still too many. */
  const prune = () => {
    const oldest = seconds() - lifetimeSeconds;
    for (const [key, at] of marks) if (at < oldest) marks.delete(key);
    while (marks.size >= MAX_ENTRIES) marks.delete(marks.keys().next().value!);
  };
  return {
    record(key) {
      prune();
      // Tokens issued since the last sign-out may carry the second after it (see issuedAt): refuse those too.
      const previous = marks.get(key);
      marks.delete(key);
      marks.set(key, previous === undefined ? seconds() : Math.max(seconds(), previous + 1));
    },
    revoked(key, iat) {
      const mark = marks.get(key);
      return mark !== undefined && (iat === undefined || iat <= mark);
    },
    issuedAt(key) {
      const mark = marks.get(key);
      return mark === undefined ? seconds() : Math.max(seconds(), mark + 1);
    },
  };
}
