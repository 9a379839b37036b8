/**
 * Microsoft Entra sign-in through MSAL.js v5. This module and MSAL itself are imported on the first sign-in click
 * (or when a signed-in page first needs a token), never on page load.
 */
import type { AccountInfo, AuthenticationResult, PublicClientApplication } from '@azure/msal-browser';
import { type Account, type ConfigResponse, tenantNameFromUpn } from '../../runbook/api.ts';
import type { AuthProvider, Tokens } from './types.ts';

type EntraConfig = NonNullable<ConfigResponse['entra']>;

/** The redirect-bridge page that hands the popup's response back to this window (MSAL v5). */
export const REDIRECT_BRIDGE_PATH = '/redirect-bridge/';

/** Maps MSAL's account to the companion's shape. */
function toAccount(info: AccountInfo): Account {
  return {
    upn: info.username,
    name: info.name ?? info.username,
    tid: info.tenantId,
    oid: info.localAccountId,
    tenantName: tenantNameFromUpn(info.username),
  };
}

/** Creates the Entra provider from the companion's configuration. */
export async function createEntraAuth(config: EntraConfig): Promise<AuthProvider> {
  const msal = await import('@azure/msal-browser');
  const bridge = new URL(REDIRECT_BRIDGE_PATH, location.origin).href;
  const pca: PublicClientApplication = new msal.PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      redirectUri: bridge,
      postLogoutRedirectUri: bridge,
    },
    cache: { cacheLocation: 'sessionStorage' },
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: msal.LogLevel.Warning, loggerCallback: () => {} } },
  });
  await pca.initialize();

  /** Silent first (cache, then refresh token); a popup only when Entra says interaction is required. */
  async function acquire(scope: string, account: AccountInfo | null): Promise<AuthenticationResult> {
    if (account) {
      try {
        return await pca.acquireTokenSilent({ scopes: [scope], account });
      } catch (e) {
        if (!(e instanceof msal.InteractionRequiredAuthError)) throw e;
      }
    }
    return pca.acquireTokenPopup({ scopes: [scope], ...(account && { account }) });
  }

  /** One token for the companion, a separate one for Exchange: Entra issues one resource per token. */
  async function tokensFor(account: AccountInfo | null): Promise<{ account: AccountInfo; tokens: Tokens }> {
    const api = await acquire(config.companionScope, account);
    const exo = await acquire(config.exchangeScope, api.account);
    pca.setActiveAccount(api.account);
    const expiresOn = Math.min(api.expiresOn?.getTime() ?? Infinity, exo.expiresOn?.getTime() ?? Infinity);
    return {
      account: api.account,
      tokens: { accessToken: api.accessToken, exchangeToken: exo.accessToken, expiresOn },
    };
  }

  /** The account MSAL has cached for this upn, if any. */
  const cachedAccount = (upn?: string) => pca.getAllAccounts().find((a) => !upn || a.username === upn) ?? null;

  return {
    async signIn() {
      const { account, tokens } = await tokensFor(pca.getActiveAccount() ?? cachedAccount());
      if (config.allowedTenants.length > 0 && !config.allowedTenants.includes(account.tenantId)) {
        await pca.clearCache({ account });
        throw new Error(
          `You signed in to tenant ${account.tenantId}, which this companion does not accept. ` +
            `Sign in with an account of ${config.allowedTenants.join(', ')}.`,
        );
      }
      return { account: toAccount(account), tokens };
    },
    async tokens(account) {
      return (await tokensFor(cachedAccount(account.upn))).tokens;
    },
    async signOut(account) {
      const info = cachedAccount(account.upn);
      if (info) await pca.logoutPopup({ account: info, postLogoutRedirectUri: bridge });
      else await pca.clearCache();
    },
  };
}
