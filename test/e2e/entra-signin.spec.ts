/**
 * Tenant mode, signed in through MSAL.js for real: the local Entra-shaped IdP (test/fixtures/idp) over https with a
 * CA made at test time, and a companion started in tenant mode that trusts it (sandbox executor behind it, so the
 * steps answer for the contoso tenant the IdP's tokens name).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ADMIN, EXCHANGE_RESOURCE, SPA_CLIENT_ID, startIdp, TENANT_ID, type TestIdp } from '../fixtures/idp/idp.ts';
import { expect, GUIDE, stepRegion, test } from './support.ts';

const API_RESOURCE = 'api://exchange-runbook';
// Just over MSAL's five-minute renewal offset, so the page renews its tokens a few seconds after signing in.
const ACCESS_TOKEN_TTL = 308;

let idp: TestIdp;
let companion: ChildProcess;
let origin: string;

/** A free TCP port on 127.0.0.1 (the companion's port must be known before the IdP registers its redirect URI). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

/** Starts `node server/main.ts` in tenant mode and waits for /api/health. */
async function startCompanion(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['server/main.ts', '--tenant'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      RUNBOOK_DATA_DIR: `.runbook/e2e-entra-${port}`,
      RUNBOOK_EXECUTOR: 'sandbox',
      RUNBOOK_ENTRA_CLIENT_ID: SPA_CLIENT_ID,
      RUNBOOK_ENTRA_TENANT_ID: TENANT_ID,
      RUNBOOK_ENTRA_AUTHORITY: new URL(idp.issuer).origin,
      RUNBOOK_API_AUDIENCE: API_RESOURCE,
      NODE_EXTRA_CA_CERTS: idp.certs.caFile,
    },
  });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the tenant-mode companion did not answer /api/health within 10 s');
}

test.use({ ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  idp = await startIdp({
    redirectUris: [`${origin}/redirect-bridge/`],
    apiResource: API_RESOURCE,
    accessTokenTtl: ACCESS_TOKEN_TTL,
  });
  companion = await startCompanion(port);
});

test.afterAll(async () => {
  companion?.kill();
  await idp?.close();
});

/** Signs in with the popup and the IdP's sign-in form; returns the requests the page made before the click. */
async function popupSignIn(page: import('@playwright/test').Page): Promise<string[]> {
  const before: string[] = [];
  page.on('request', (r) => before.push(r.url()));
  await page.goto(`${origin}${GUIDE}`);
  const banner = page.getByRole('banner');
  const signIn = banner.getByRole('button', { name: 'Sign in with Microsoft' });
  await expect(signIn).toBeVisible();
  const loadedBeforeClick = [...before];
  const popupPromise = page.waitForEvent('popup');
  await signIn.click();
  const popup = await popupPromise;
  await popup.getByRole('button', { name: `Sign in as ${ADMIN.upn}` }).click();
  await expect(banner.locator('[data-badge]')).toHaveText(new RegExp(`Signed in as ${ADMIN.upn}, tenant contoso$`));
  return loadedBeforeClick;
}

test('popup sign-in through MSAL; MSAL is loaded only on the click; the companion accepts both tokens', async ({
  page,
}) => {
  let popups = 0;
  page.on('popup', () => popups++);
  const { gzipSync } = await import('node:zlib');
  const scripts = new Map<string, number>();
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'script') scripts.set(r.url(), gzipSync(await r.body()).length);
  });
  const loadedBeforeClick = await popupSignIn(page);
  expect(popups, 'one window for both tokens (the Exchange token comes silently from the same refresh token)').toBe(1);
  expect(
    loadedBeforeClick.filter((u) => /\/_astro\/entra\./.test(u)),
    'MSAL glue loaded before the click',
  ).toEqual([]);
  // The probe needs the companion token (Authorization) and the Exchange token (X-Exchange-Token): a verdict proves
  // both.
  await expect(stepRegion(page, 'check-impersonation-role').getByText(/^(OK|Done|Needed)/)).toBeVisible();
  // No wait for network idle here: the short-lived test tokens keep MSAL renewing every few seconds.
  const total = [...scripts.values()].reduce((a, b) => a + b, 0);
  test.info().annotations.push({
    type: 'guide page JS after Entra sign-in, gzip (external scripts)',
    description: `${total} B`,
  });
  console.log(`guide page JS after Entra sign-in (gzip, external scripts): ${total} B`);
});

test('tokens are renewed silently before they expire, with the refresh token', async ({ page }) => {
  const refreshes: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (`${url.origin}${url.pathname}` === `${idp.issuer}/token` && /grant_type=refresh_token/.test(r.postData() ?? ''))
      refreshes.push(r.url());
  });
  await popupSignIn(page);
  let popups = 0;
  page.on('popup', () => popups++);
  // Tokens live 308 s and MSAL renews 300 s before expiry: the page's timer must renew within ~10 s, without a popup.
  await expect.poll(() => refreshes.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  expect(popups, 'silent renewal must not open a window').toBe(0);
  await page.reload();
  await expect(stepRegion(page, 'check-impersonation-role').getByText(/^(OK|Done|Needed)/)).toBeVisible();
});

test('sign-out ends the Entra session and forgets the account', async ({ page }) => {
  await popupSignIn(page);
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await (await popupPromise).locator('#logout-yes').click();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in with Microsoft' })).toBeVisible();
  await expect(page.getByRole('banner').locator('[data-badge]')).toBeHidden();
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('accesstoken')))).toEqual([]);
});

test('the companion rejects a token for the wrong audience and accepts the right one', async () => {
  const claims = { tid: TENANT_ID, oid: ADMIN.oid, upn: ADMIN.upn, scp: 'access_as_user', ver: '2.0' };
  const call = (token: string) => fetch(`${origin}/api/runs`, { headers: { Authorization: `Bearer ${token}` } });
  const wrong = await call(await idp.mint({ ...claims, aud: EXCHANGE_RESOURCE }));
  expect(wrong.status).toBe(401);
  const right = await call(await idp.mint({ ...claims, aud: API_RESOURCE }));
  expect(right.status).toBe(200);
});
