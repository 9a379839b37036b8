/** Sandbox sign-in: the companion's own issuer signs a short-lived token for a demo admin, one click, no password. */
import type { SandboxSignInResponse } from '../../runbook/api.ts';
import type { AuthProvider, Tokens } from './types.ts';

/** Creates the sandbox provider; tokens live in memory only and a reload simply signs the same demo admin in again. */
export function createSandboxAuth(): AuthProvider {
  let cached: Tokens | undefined;

  async function signIn(user?: string) {
    if (!user) throw new Error('Pick one of the sandbox admins to sign in.');
    const res = await fetch('/api/sandbox/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user }),
    });
    const body = (await res.json().catch(() => null)) as
      (SandboxSignInResponse & { error?: { message: string } }) | null;
    if (!res.ok || !body?.accessToken)
      throw new Error(body?.error?.message ?? `Sandbox sign-in failed (${res.status}).`);
    cached = {
      accessToken: body.accessToken,
      exchangeToken: body.exchangeToken,
      expiresOn: Date.parse(body.expiresOn),
    };
    return { account: body.account, tokens: cached };
  }

  return {
    signIn,
    async tokens(account) {
      if (cached && cached.expiresOn - Date.now() > 60_000) return cached;
      return (await signIn(account.upn)).tokens;
    },
    async signOut() {
      cached = undefined;
    },
  };
}
