/**
 * The signed-in state every element on the page shares: who is signed in (kept in sessionStorage so the badge shows
 * on every page of the tab), the provider that holds the tokens, silent renewal before expiry, and change events.
 * Tokens themselves stay with the provider (memory, or MSAL's own cache), never in this store.
 */
import type { Account } from '../../runbook/api.ts';
import { loadConfig } from '../config.ts';
import { createSandboxAuth } from './sandbox.ts';
import type { AuthProvider, Tokens } from './types.ts';

const KEY = 'runbook.session';
const CHANGE = 'runbook:session';
// MSAL treats a token as expired five minutes before its expiry (tokenRenewalOffsetSeconds); renew just after that.
const RENEW_BEFORE_MS = 300_000 - 2_000;

let provider: Promise<AuthProvider> | undefined;
let renewTimer: ReturnType<typeof setTimeout> | undefined;

/** The signed-in account of this tab, or null. */
export function currentAccount(): Account | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Account | null;
  } catch {
    return null;
  }
}

/** Calls `listener` whenever someone signs in or out on this page; returns the unsubscribe function. */
export function onSessionChange(listener: (account: Account | null) => void): () => void {
  const handler = () => listener(currentAccount());
  window.addEventListener(CHANGE, handler);
  return () => window.removeEventListener(CHANGE, handler);
}

/** Stores (or clears) the account and tells every element. */
function setAccount(account: Account | null): void {
  if (account) sessionStorage.setItem(KEY, JSON.stringify(account));
  else sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event(CHANGE));
}

/** The provider for the companion's mode; MSAL's module is only imported in tenant mode. */
function getProvider(): Promise<AuthProvider> {
  provider ??= loadConfig().then(async (config) => {
    if (config.mode === 'sandbox') return createSandboxAuth();
    if (!config.entra) throw new Error('The companion runs in tenant mode but sends no Entra settings in /api/config.');
    return (await import('./entra.ts')).createEntraAuth(config.entra);
  });
  provider.catch(() => {
    provider = undefined;
  });
  return provider;
}

/**
 * Renews the tokens shortly before they expire, so a long wait never meets a 401, and hands the renewed Exchange token
 * to the companion at once: a step that waits for hours keeps polling Exchange with a token Exchange still accepts
 * (the companion reconnects in a fresh PowerShell process), instead of failing when the first one expires.
 */
function scheduleRenewal(tokens: Tokens): void {
  clearTimeout(renewTimer);
  const delay = Math.max(1_000, tokens.expiresOn - Date.now() - RENEW_BEFORE_MS);
  renewTimer = setTimeout(() => {
    void getTokens().then(warm, () => setAccount(null));
  }, delay);
}

/** Starts the admin's Exchange session with these tokens (a no-op when it already runs with them); not fatal. */
function warm(tokens: Tokens): void {
  void fetch('/api/session/warm', { method: 'POST', headers: authHeaders(tokens) }).catch(() => {});
}

/** Signs in (sandbox: as `user`), warms the companion's Exchange session, and announces the new account. */
export async function signIn(user?: string): Promise<Account> {
  const { account, tokens } = await (await getProvider()).signIn(user);
  setAccount(account);
  scheduleRenewal(tokens);
  // Warming starts the admin's Exchange session now so the first "Run this step" is fast.
  warm(tokens);
  return account;
}

/** Tokens for the signed-in account; rejects when nobody is signed in. */
export async function getTokens(): Promise<Tokens> {
  const account = currentAccount();
  if (!account) throw new Error('Sign in first.');
  const tokens = await (await getProvider()).tokens(account);
  scheduleRenewal(tokens);
  return tokens;
}

/** Signs out and forgets the account. */
export async function signOut(): Promise<void> {
  const account = currentAccount();
  if (account) {
    // Ends the admin's Exchange session (its PowerShell process) now rather than at the idle timeout; not fatal.
    await getTokens()
      .then((tokens) => fetch('/api/session/end', { method: 'POST', headers: authHeaders(tokens) }))
      .catch(() => {});
  }
  clearTimeout(renewTimer);
  if (account) await (await getProvider()).signOut(account);
  setAccount(null);
}

/** The headers every authenticated companion call carries. */
export function authHeaders(tokens: Tokens): Record<string, string> {
  return { Authorization: `Bearer ${tokens.accessToken}`, 'X-Exchange-Token': tokens.exchangeToken };
}
