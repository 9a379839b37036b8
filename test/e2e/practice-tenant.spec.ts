/**
 * Practising on a sandbox tenant: the checklist says what the signed-in tenant is like and offers Reset (after a
 * confirmation that names the tenant); a wait says how long it takes on this sandbox beside what a real tenant does,
 * and "Stop waiting" ends it at once and frees the admin for the next step. The e2e companion's customization delay
 * is 20 s (playwright.config.ts).
 */
import type { APIRequestContext } from '@playwright/test';
import { CONTOSO, expect, FABRIKAM, GUIDE, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

const RBAC_GUIDE = '/guides/rbac-for-applications/';

/** Runs `step` for `user` through the API (the page's admin is the same tid + oid, so the page sees the result). */
async function runThroughApi(
  request: APIRequestContext,
  user: string,
  step: string,
  params: object = {},
): Promise<void> {
  const { accessToken, exchangeToken } = await (await request.post('/api/sandbox/sign-in', { data: { user } })).json();
  const headers = { Authorization: `Bearer ${accessToken}`, 'X-Exchange-Token': exchangeToken };
  const started = await request.post('/api/runs', { headers, data: { step, params } });
  expect(started.status()).toBe(202);
  const { id } = await started.json();
  await expect
    .poll(async () => (await (await request.get(`/api/runs/${id}`, { headers })).json()).status)
    .not.toBe('running');
}

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, CONTOSO);
  await resetSandbox(request, FABRIKAM);
});

test('after sign-in the checklist says what the tenant is like: contoso as in 2023, fabrikam as in 2026', async ({
  page,
}) => {
  await page.goto(GUIDE);
  const checklist = page.getByRole('region', { name: 'Your progress' });
  await signInSandbox(page, CONTOSO);
  await expect(
    checklist.getByText(/You are practising on contoso, a sandbox tenant\. It starts as in 2023: /),
  ).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(checklist.getByText(/You are practising on/)).toBeHidden();
  await signInSandbox(page, FABRIKAM);
  await expect(
    checklist.getByText(/You are practising on fabrikam, a sandbox tenant\. It starts as in 2026: /),
  ).toBeVisible();
  await expect(checklist.getByRole('button', { name: 'Reset fabrikam' })).toBeVisible();
});

test('Reset asks first, naming the tenant; Cancel changes nothing; confirmed, the tenant is back to its start', async ({
  page,
  request,
}) => {
  const scopeParams = { name: 'EWS-Archive mailboxes', filter: "CustomAttribute1 -eq 'EWS-Archive'" };
  await runThroughApi(request, FABRIKAM, 'create-management-scope', scopeParams);
  await page.goto(RBAC_GUIDE);
  await signInSandbox(page, FABRIKAM);
  const scope = stepRegion(page, 'create-management-scope');
  await scope.getByLabel('Name').fill(scopeParams.name);
  await scope.getByLabel('Filter').fill(scopeParams.filter);
  await expect(scope.getByText(/^Done: You ran this step at /)).toBeVisible();

  const resets: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/sandbox/reset') resets.push(r.method());
  });
  const reset = page.getByRole('region', { name: 'Your progress' }).getByRole('button', { name: 'Reset fabrikam' });
  await reset.click();
  const dialog = page.getByRole('dialog', { name: 'Reset the sandbox tenant fabrikam?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Your run history and transcript stay.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(reset).toBeFocused();
  expect(resets, 'Cancel sends nothing').toEqual([]);

  await reset.click();
  await dialog.getByRole('button', { name: 'Reset fabrikam' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'fabrikam is back to its starting state' })).toBeVisible();
  expect(resets).toEqual(['POST']);
  await expect(scope.getByText(/^Needed/), 'the steps check the tenant again').toBeVisible();
});

test('after a reset, signing in again does not offer the runs from before it as done by you', async ({
  page,
  request,
}) => {
  // Customization enabled through the API: contoso then reads "Done by you, taking effect" while IsDehydrated catches
  // up.
  await runThroughApi(request, CONTOSO, 'enable-customization');
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const enable = stepRegion(page, 'enable-customization');
  const row = page
    .locator('runbook-checklist')
    .getByRole('listitem')
    .filter({ hasText: 'Enable organization customization' });
  await expect(row).toContainText('Done by you');

  await page.getByRole('region', { name: 'Your progress' }).getByRole('button', { name: 'Reset contoso' }).click();
  await page
    .getByRole('dialog', { name: 'Reset the sandbox tenant contoso?' })
    .getByRole('button', { name: 'Reset contoso' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'contoso is back to its starting state' })).toBeVisible();
  await expect(enable.locator('[data-verdict]')).toHaveText(/^Needed/);

  // The run is still in the history, but it changed a tenant that is gone: after a new sign-in it is not "yours" here.
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await signInSandbox(page, CONTOSO);
  await expect(enable.locator('[data-verdict]')).toHaveText(/^Needed/);
  await expect(enable.getByText(/You ran this step/)).toHaveCount(0);
  await expect(enable.getByRole('status')).not.toHaveText('Succeeded');
  await expect(row).not.toContainText('Done by you');
});

test('a wait says how long it takes on this sandbox and on a real tenant; Stop waiting ends it and frees the admin', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await runThroughApi(request, CONTOSO, 'enable-customization');
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const check = stepRegion(page, 'check-dehydrated');
  await check.getByRole('button', { name: 'Run this step' }).click();
  await expect(check.getByRole('status')).toHaveText('Waiting', { timeout: 10_000 });
  await expect(
    check.getByText(/On this sandbox, IsDehydrated reads False 20 s after Enable-OrganizationCustomization ran/),
  ).toBeVisible();
  await expect(check.getByText(/On a real tenant no Microsoft source gives a time/)).toBeVisible();
  await expect(check.getByText(/about 60 minutes/)).toHaveCount(0);

  await check.getByRole('button', { name: 'Stop waiting' }).click();
  await expect(check.getByRole('status')).toHaveText('Stopped', { timeout: 10_000 });
  await expect(check.getByText(/^You stopped waiting for IsDehydrated to read False after \d+ s\./)).toBeVisible();
  await expect(check.getByText('Stopping changed nothing in the tenant.', { exact: false })).toBeVisible();
  await expect(check.getByRole('button', { name: 'Stop waiting' })).toBeHidden();
  // The companion no longer holds a run for this admin: the next step starts at once.
  const role = stepRegion(page, 'check-impersonation-role');
  await role.getByRole('button', { name: 'Run this step' }).click();
  await expect(role.getByRole('status')).toHaveText('Succeeded');
});
