/** The one interface both sign-in providers (sandbox, Microsoft Entra) implement. */
import type { Account } from '../../runbook/api.ts';

/** A token for the companion API and a separate one for Exchange, valid until `expiresOn` (ms since epoch). */
export interface Tokens {
  accessToken: string;
  exchangeToken: string;
  expiresOn: number;
}

export interface AuthProvider {
  /** Signs in interactively (Entra: silent first, then a popup); `user` picks the sandbox's demo admin. */
  signIn(user?: string): Promise<{ account: Account; tokens: Tokens }>;
  /** Returns valid tokens for the signed-in `account`, renewed silently when they are close to expiry. */
  tokens(account: Account): Promise<Tokens>;
  /** Signs out at the identity provider where there is one, and forgets every token. */
  signOut(account: Account): Promise<void>;
}
