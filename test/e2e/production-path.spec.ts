/**
 * The path an admin runs against a real tenant, end to end in the browser, with no sandbox anywhere: "Sign in with
 * Microsoft" through MSAL.js against the Entra-shaped test IdP (test/fixtures/idp), the companion (`server/main.ts`)
 * in tenant mode with RUNBOOK_EXECUTOR=powershell, one real pwsh for the admin with the stand-in
 * ExchangeOnlineManagement, connected with the admin's own Exchange token to the Exchange-shaped test service
 * (test/fixtures/exchange-online), which checks that token as Exchange Online does. The seed flow runs through the
 * page: the dehydrated failure explained, customization enabled, the wait, the group created, undone; once per shape
 * of Exchange's error messages. Needs pwsh (NODE_POWERSHELL); without it the tests are skipped, under CI=true they
 * fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startExchangeService, type ExchangeService } from '../fixtures/exchange-online/service.ts';
import { ADMIN, SPA_CLIENT_ID, startIdp, TENANT_ID, type TestIdp } from '../fixtures/idp/idp.ts';
import type { Page } from '@playwright/test';
import { findPwsh, pwshSessionsOf } from '../support/pwsh.ts';
import { expect, GUIDE, stepRegion, test } from './support.ts';

const API_RESOURCE = 'api://exchange-runbook';
const PWSH = findPwsh();
const DEHYDRATED = "The command you tried to run isn't currently allowed in your organization.";
// Half a minute over MSAL's five-minute renewal offset: the page renews its tokens during the flow, every ~30 s.
const ACCESS_TOKEN_TTL = 330;

test.skip(!PWSH, 'no pwsh: set NODE_POWERSHELL or install PowerShell 7.6');
test.use({ ignoreHTTPSErrors: true });

/** A free TCP port on 127.0.0.1 (the companion's origin must be known before the IdP registers its redirect URI). */
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

/** The two shapes Exchange Online writes its error messages in (exchange-facts.md, section 4). */
const ERROR_SHAPES: Array<{ name: string; env: Record<string, string> }> = [
  { name: 'Ex94914C|<type>|<text>', env: { RUNBOOK_STANDIN_ERROR_SHAPE: 'coded' } },
  { name: '||<text>', env: { RUNBOOK_STANDIN_ERROR_SHAPE: 'bare' } },
];
/** The production path's parts for one describe block: the test IdP, the Exchange service and the companion. */
interface ProductionPath {
  idp: TestIdp;
  exchange: ExchangeService;
  companion: ChildProcess;
  origin: string;
  close(): Promise<void>;
}

/**
 * Starts the test IdP (whose `.default` on Exchange grants `exchangeScopes`), the Exchange service trusting it, and
 * `server/main.ts --tenant` with the PowerShell executor and `env`; resolves once the companion answers /api/health.
 */
async function startProductionPath(env: Record<string, string>, exchangeScopes?: string): Promise<ProductionPath> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const idp = await startIdp({
    redirectUris: [`${origin}/redirect-bridge/`],
    apiResource: API_RESOURCE,
    accessTokenTtl: ACCESS_TOKEN_TTL,
    ...(exchangeScopes ? { exchangeScopes } : {}),
  });
  // IsDehydrated reads False 5 s after Enable-OrganizationCustomization: the step's first check sees True and waits.
  const exchange = await startExchangeService({
    issuer: idp.issuer,
    ca: readFileSync(idp.certs.caFile),
    customizationDelayMs: 5_000,
    propagationDelayMs: 0,
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'runbook-e2e-production-'));
  const companion = spawn(process.execPath, ['server/main.ts', '--tenant'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      RUNBOOK_DATA_DIR: dataDir,
      RUNBOOK_EXECUTOR: 'powershell',
      RUNBOOK_PSMODULEPATH: path.resolve('test/fixtures/psmodules'),
      NODE_POWERSHELL: PWSH,
      RUNBOOK_ENTRA_CLIENT_ID: SPA_CLIENT_ID,
      RUNBOOK_ENTRA_TENANT_ID: TENANT_ID,
      RUNBOOK_ENTRA_AUTHORITY: new URL(idp.issuer).origin,
      RUNBOOK_API_AUDIENCE: API_RESOURCE,
      NODE_EXTRA_CA_CERTS: idp.certs.caFile,
      ...exchange.env,
      ...env,
    },
  });
  const close = async () => {
    companion.kill('SIGTERM');
    await new Promise((resolve) =>
      companion.exitCode === null ? companion.once('exit', resolve) : resolve(undefined),
    );
    await exchange.close();
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    const health = await fetch(`${origin}/api/health`).then(
      (r) => r.json(),
      () => undefined,
    );
    if (health?.mode === 'tenant' && health.executor === 'powershell')
      return { idp, exchange, companion, origin, close };
    await new Promise((r) => setTimeout(r, 100));
  }
  await close();
  throw new Error('the tenant-mode companion did not answer /api/health within 20 s');
}

/** Signs in through the header's "Sign in with Microsoft" and the IdP's popup; resolves once the badge shows it. */
async function signInWithMicrosoft(page: Page): Promise<void> {
  const banner = page.getByRole('banner');
  const popup = page.waitForEvent('popup');
  await banner.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await (await popup).getByRole('button', { name: `Sign in as ${ADMIN.upn}` }).click();
  await expect(banner.locator('[data-badge]')).toHaveText(new RegExp(`Signed in as ${ADMIN.upn}, tenant contoso$`));
}

for (const shape of ERROR_SHAPES) {
  test.describe(`production path, Exchange errors shaped ${shape.name}`, () => {
    let path_: ProductionPath;
    let exchange: ExchangeService;
    let companion: ChildProcess;
    let origin: string;

    test.beforeAll(async () => {
      path_ = await startProductionPath(shape.env);
      ({ exchange, companion, origin } = path_);
    });
    test.afterAll(async () => path_?.close());

    test('sign in with Microsoft, then the seed flow through real pwsh: dehydrated, enable, wait, create, undo', async ({
      page,
    }) => {
      test.setTimeout(180_000);
      await page.goto(`${origin}${GUIDE}`);
      // Every pwsh the companion runs for the admin, and every hand-over of tokens (sign-in, then each renewal).
      const pwshSeen = new Set<number>();
      const sample = setInterval(() => {
        for (const pid of pwshSessionsOf(companion.pid!)) pwshSeen.add(pid);
      }, 500);
      let warms = 0;
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/api/session/warm') warms++;
      });

      // Sign-in to first result: the click, the IdP's sign-in, both tokens, pwsh started and connected, one step run.
      const signedInAt = Date.now();
      await signInWithMicrosoft(page);
      const badgeMs = Date.now() - signedInAt;
      // Where the README tells an admin to find the Exchange token for `npm run doctor -- --exchange-token-file`.
      const cached = await page.evaluate(() =>
        Object.entries(sessionStorage)
          .filter(([key]) => key.includes('accesstoken') && key.includes('outlook.office365.com'))
          .map(([, value]) => (JSON.parse(value) as { secret?: string }).secret),
      );
      expect(cached.length, 'one cached Exchange token').toBe(1);
      expect(cached[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const role = stepRegion(page, 'check-impersonation-role');
      await expect(role.getByText(/^(OK|Done|Needed)/)).toBeVisible({ timeout: 60_000 });
      const firstVerdictMs = Date.now() - signedInAt;
      await role.getByRole('button', { name: 'Run this step' }).click();
      await expect(role.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
      const firstRunMs = Date.now() - signedInAt;
      for (const [type, ms] of [
        ['sign-in click to signed in (MSAL, both tokens)', badgeMs],
        ['sign-in click to first verdict (pwsh started, connected, probe)', firstVerdictMs],
        ['sign-in click to first run succeeded', firstRunMs],
      ] as const) {
        test.info().annotations.push({ type, description: `${ms} ms` });
        console.log(`production path, ${type}: ${ms} ms`);
      }

      // 1. Creating the group fails with Exchange's exact words, explained.
      const create = stepRegion(page, 'create-role-group');
      await expect(create.getByLabel('Members')).toHaveValue('svc-ews@contoso.onmicrosoft.com');
      await create.getByRole('button', { name: 'Run this step' }).click();
      await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 30_000 });
      await expect(create.getByText(DEHYDRATED, { exact: false }).last()).toBeVisible();
      await expect(create.getByText(/What it means: Your organization is still "dehydrated"/)).toBeVisible();

      // 2. Customization enabled (it cannot be undone, so the page asks first).
      const enable = stepRegion(page, 'enable-customization');
      await enable.getByRole('button', { name: 'Run this step' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /run it|Enable/ })
        .click();
      await expect(enable.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });

      // 3. The wait: IsDehydrated reads True at the first check, the step says when it checks again, then False.
      const check = stepRegion(page, 'check-dehydrated');
      await check.getByRole('button', { name: 'Run this step' }).click();
      await expect(check.getByRole('status')).toHaveText('Waiting', { timeout: 30_000 });
      await expect(check.getByText(/^Next check at .+ \(in \d+:\d\d\)\.$/)).toBeVisible();
      await expect(check.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });

      // 4. The group is created in Exchange, then undone.
      await expect(create.getByText(/^Needed/)).toBeVisible({ timeout: 30_000 });
      await create.getByRole('button', { name: 'Run this step' }).click();
      await expect(create.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
      const held = await exchange.simulator.invoke(TENANT_ID, {
        cmdlet: 'Get-RoleGroup',
        params: { Identity: 'EWS Application Impersonation' },
      });
      expect(held.ok, 'Exchange holds the role group').toBe(true);
      // Undo takes the role away from the group's members, so it asks first.
      await create.getByRole('button', { name: 'Undo' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove the role group' }).click();
      await expect(create.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });
      await expect(create.getByText(/^Needed/)).toBeVisible();
      const gone = await exchange.simulator.invoke(TENANT_ID, {
        cmdlet: 'Get-RoleGroup',
        params: { Identity: 'EWS Application Impersonation' },
      });
      expect(gone.ok, 'the role group is gone from Exchange').toBe(false);
      // 5. The page renewed its tokens during the flow and handed the Exchange token over: the companion reconnected
      //    in a fresh pwsh each time, and Exchange never saw an expired token.
      await expect.poll(() => warms, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => pwshSeen.size, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      clearInterval(sample);
      expect(exchange.refusals, 'Exchange accepted every call the page made').toEqual([]);
    });
  });
}

test.describe('production path, an app registration without Exchange.Manage', () => {
  let path_: ProductionPath;
  test.beforeAll(async () => {
    path_ = await startProductionPath({}, 'Exchange.ManageV2');
  });
  test.afterAll(async () => path_?.close());

  test('the token is refused before any PowerShell runs, and the page says what to grant', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${path_.origin}${GUIDE}`);
    await signInWithMicrosoft(page);
    const role = stepRegion(page, 'check-impersonation-role');
    // The check cannot run: the page says why, in words that name the permission to grant.
    await expect(
      role.getByText(
        /^Could not check this step: .*Its scopes are Exchange\.ManageV2, without Exchange\.Manage: .*admin consent/,
      ),
    ).toBeVisible({ timeout: 60_000 });
    await role.getByRole('button', { name: 'Run this step' }).click();
    await expect(role.getByText(/Exchange\.ManageV2, without Exchange\.Manage: .*admin consent/).last()).toBeVisible({
      timeout: 60_000,
    });
    // The companion reads the token's scopes itself: Exchange (which would only say UnAuthorized) never sees it.
    expect(path_.exchange.refusals).toEqual([]);
    expect(pwshSessionsOf(path_.companion.pid!), 'no PowerShell process for a token Exchange would refuse').toEqual([]);
  });
});
