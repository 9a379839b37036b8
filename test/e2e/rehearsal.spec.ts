/**
 * The rehearsal in the browser: a companion in sandbox mode with RUNBOOK_EXECUTOR=powershell and the stand-in
 * Exchange module, so signing in warms a real pwsh and "Run this step" goes page -> companion -> pwsh -> stand-in ->
 * bridge -> simulator. It runs once per error shape of the real module (RUNBOOK_STANDIN_ERROR_SHAPE: `coded` writes
 * `Ex<code>|<type>|<text>`, `bare` writes `||<text>` with the name only in CategoryInfo.Reason): the seed guide on
 * contoso from the dehydrated refusal to the role group and its AD-prefixed duplicate, and RBAC for Applications on
 * fabrikam to the scoped role. The companion listens on a free port (PORT=0) it reports. Needs pwsh
 * (NODE_POWERSHELL); without it the tests are skipped, under CI=true they fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FABRIKAM_ARCHIVER } from '../../server/sandbox/tenants/fabrikam.ts';
import { findPwsh } from '../support/pwsh.ts';
import { CONTOSO, expect, FABRIKAM, GUIDE, signInSandbox, stepRegion, test } from './support.ts';

const PWSH = findPwsh();
const RBAC_GUIDE = '/guides/rbac-for-applications/';
const SCOPE = 'EWS-Archive mailboxes';

test.skip(!PWSH, 'pwsh not found: set NODE_POWERSHELL');

/** Starts a rehearsal companion whose stand-in answers in `shape`; resolves with its origin once it is healthy. */
async function startCompanion(shape: 'coded' | 'bare'): Promise<{ origin: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      RUNBOOK_DATA_DIR: mkdtempSync(path.join(tmpdir(), `runbook-e2e-rehearsal-${shape}-`)),
      RUNBOOK_EXECUTOR: 'powershell',
      RUNBOOK_PSMODULEPATH: path.resolve('test/fixtures/psmodules'),
      RUNBOOK_STANDIN_ERROR_SHAPE: shape,
      // Seconds instead of a minute, so the wait for IsDehydrated and the propagation lags run for real but briefly.
      RUNBOOK_CUSTOMIZATION_DELAY: '3',
      RUNBOOK_PROPAGATION_DELAY: '1',
      RUNBOOK_DELEGATION_DELAY: '1',
      NODE_POWERSHELL: PWSH!,
    },
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`the rehearsal companion did not report its address: ${seen}`)),
      20_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      process.stdout.write(chunk);
      const match = /Runbook at (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the rehearsal companion exited (${code}): ${seen}`)));
  });
  const health = await fetch(`${origin}/api/health`).then((r) => r.json());
  expect(health.executor).toBe('powershell');
  return { origin, process: child };
}

for (const shape of ['coded', 'bare'] as const) {
  test.describe(`through real pwsh, Exchange errors in the ${shape} shape`, () => {
    let companion: { origin: string; process: ChildProcess } | undefined;
    test.beforeAll(async () => {
      companion = await startCompanion(shape);
    });
    test.afterAll(() => {
      companion?.process.kill('SIGTERM');
    });

    test('contoso: the dehydrated refusal explained, customization, the role group, then its duplicate explained', async ({
      page,
    }) => {
      test.setTimeout(180_000);
      await page.goto(`${companion!.origin}${GUIDE}`);
      await signInSandbox(page, CONTOSO);

      const role = stepRegion(page, 'check-impersonation-role');
      await role.getByRole('button', { name: 'Run this step' }).click();
      await expect(role.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });

      const create = stepRegion(page, 'create-role-group');
      await create.getByRole('button', { name: 'Run this step' }).click();
      await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 30_000 });
      await expect(
        create
          .getByText("The command you tried to run isn't currently allowed in your organization.", { exact: false })
          .last(),
      ).toBeVisible();
      await expect(create.getByText(/What it means: Your organization is still "dehydrated"/)).toBeVisible();

      const enable = stepRegion(page, 'enable-customization');
      await enable.getByRole('button', { name: 'Run this step' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Enable customization' }).click();
      await expect(enable.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });

      const check = stepRegion(page, 'check-dehydrated');
      await check.getByRole('button', { name: 'Run this step' }).click();
      await expect(check.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });

      await create.getByRole('button', { name: 'Run this step' }).click();
      await expect(create.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
      // Running it again meets the duplicate, which Exchange Online words after "Active Directory operation failed on
      // <DC>."
      await create.getByRole('button', { name: 'Run this step' }).click();
      await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 30_000 });
      await expect(
        create
          .getByText(/Active Directory operation failed on [\w.]+\. The object 'CN=EWS Application Impersonation,/)
          .last(),
      ).toBeVisible();
      await expect(create.getByText(/What it means: A role group with this name already exists/)).toBeVisible();

      const ended = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session/end');
      await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
      expect((await ended).status()).toBe(200);
    });

    test('fabrikam: RBAC for Applications to an application scoped to two mailboxes', async ({ page }) => {
      test.setTimeout(180_000);
      await page.goto(`${companion!.origin}${RBAC_GUIDE}`);
      await signInSandbox(page, FABRIKAM);

      // The role is gone: Exchange's not-found answer, in either shape, reads as "nothing left to find".
      const find = stepRegion(page, 'find-impersonation-assignments');
      await expect(
        find.getByText(/^OK: Exchange cannot find ApplicationImpersonation in this organization/),
      ).toBeVisible({ timeout: 60_000 });

      const register = stepRegion(page, 'create-service-principal');
      await register.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
      await register.getByLabel('Object ID').fill(FABRIKAM_ARCHIVER.servicePrincipalObjectId);
      await register.getByLabel('Display name').fill(FABRIKAM_ARCHIVER.displayName);
      await expect(register.getByRole('button', { name: 'Run this step' })).toHaveAccessibleDescription(/^Needed/);
      await register.getByRole('button', { name: 'Run this step' }).click();
      await expect(register.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });

      const scope = stepRegion(page, 'create-management-scope');
      await scope.getByLabel('Name', { exact: true }).fill(SCOPE);
      await scope.getByLabel('Filter', { exact: true }).fill("CustomAttribute1 -eq 'EWS-Archive'");
      await expect(scope.getByText(/^Needed/)).toBeVisible();
      await scope.getByRole('button', { name: 'Run this step' }).click();
      await expect(scope.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });

      const assign = stepRegion(page, 'assign-application-role');
      await assign.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
      await assign.getByLabel('Scope', { exact: true }).fill(SCOPE);
      await expect(assign.getByText(/^Needed/)).toBeVisible();
      await assign.getByRole('button', { name: 'Run this step' }).click();
      await expect(assign.getByRole('status')).toHaveText('Succeeded', { timeout: 30_000 });
      await expect(
        assign.getByText(`Get-ServicePrincipal -Identity '${FABRIKAM_ARCHIVER.appId}'`, { exact: true }),
      ).toBeVisible();

      const verify = stepRegion(page, 'test-app-authorization');
      await verify.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
      await expect(
        verify.getByText(/^OK: The application holds Application Mail\.Read \(scope EWS-Archive mailboxes\)/),
      ).toBeVisible();
      await verify.getByRole('button', { name: 'Run this step' }).click();
      await expect(verify.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
      await expect(
        verify.getByText(
          /^In scope: diego\.siciliani@fabrikam\.onmicrosoft\.com, lynne\.robbins@fabrikam\.onmicrosoft\.com\. Out of scope: /,
        ),
      ).toBeVisible();
    });
  });
}
