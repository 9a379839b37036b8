/**
 * The rehearsal in the browser: a companion in sandbox mode with RUNBOOK_EXECUTOR=powershell and the stand-in
 * Exchange module, so signing in warms a real pwsh and "Run this step" goes page -> companion -> pwsh -> stand-in ->
 * bridge -> simulator. Needs pwsh (NODE_POWERSHELL); without it the test is skipped, under CI=true it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPwsh } from '../support/pwsh.ts';
import { CONTOSO, expect, GUIDE, signInSandbox, stepRegion, test } from './support.ts';

const PORT = 4394;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const PWSH = findPwsh();
let companion: ChildProcess | undefined;

test.skip(!PWSH, 'pwsh not found: set NODE_POWERSHELL');
test.use({ baseURL: ORIGIN });

test.beforeAll(async () => {
  companion = spawn(process.execPath, ['server/main.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(PORT),
      RUNBOOK_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'runbook-e2e-rehearsal-')),
      RUNBOOK_EXECUTOR: 'powershell',
      RUNBOOK_PSMODULEPATH: path.resolve('test/fixtures/psmodules'),
      NODE_POWERSHELL: PWSH!,
    },
  });
  for (let i = 0; i < 100; i++) {
    const health = await fetch(`${ORIGIN}/api/health`).then((r) => r.json(), () => undefined);
    if (health?.executor === 'powershell') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the rehearsal companion did not answer /api/health within 10 s');
});

test.afterAll(() => {
  companion?.kill('SIGTERM');
});

test('contoso through real pwsh: the role is found, and creating the group fails with Exchange\'s exact words', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);

  const role = stepRegion(page, 'check-impersonation-role');
  await role.getByRole('button', { name: 'Run this step' }).click();
  await expect(role.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });

  const create = stepRegion(page, 'create-role-group');
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 30_000 });
  await expect(create.getByText("The command you tried to run isn't currently allowed in your organization.", { exact: false }).last()).toBeVisible();
  await expect(create.getByText(/What it means: Your organization is still "dehydrated"/)).toBeVisible();

  // Signing out ends the admin's PowerShell session on the companion right away.
  const ended = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session/end');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  expect((await ended).status()).toBe(200);
});
