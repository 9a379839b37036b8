/**
 * The EWS guide through the page on the sandbox: a fabrikam admin reads the policy (EwsEnabled False, Microsoft's
 * pre-populated list), is told what allowing the archiver changes for the whole organization, is refused without the
 * confirmation, allows it keeping both pre-populated ids, finds the archiver's mailbox with EWS off, and undoes the
 * allow, after which the list reads exactly as before. Also: the days left, the page without JavaScript, axe in both
 * themes. The page's JavaScript budget is held by test/e2e/performance.spec.ts, as for every guide.
 */
import { EWS_PAGE, EWS_SECTIONS } from '../../src/runbook/guides/keep-ews-working/sections.ts';
import { countdownText } from '../../src/runbook/guides/keep-ews-working/countdown.ts';
import { FABRIKAM_ARCHIVER, FABRIKAM_PREPOPULATED_EWS_APPS } from '../../server/sandbox/tenants/fabrikam.ts';
import { expect, expectNoAxeViolations, FABRIKAM, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

const ARCHIVER = FABRIKAM_ARCHIVER.appId;
const PREPOPULATED = FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId).join(',');
const at = (alias: string) => `${alias}@fabrikam.onmicrosoft.com`;
const STEPS = ['read-ews-policy', 'allow-ews-application', 'check-ews-mailboxes', 'remove-ews-application'];

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, FABRIKAM);
});

test('fabrikam: the archiver allowed with every pre-populated id kept, its mailboxes checked, and undone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(EWS_PAGE.path);
  await signInSandbox(page, FABRIKAM);

  // 1. The policy, and the verdict on the archiver: EWS is off for the whole organization.
  const read = stepRegion(page, 'read-ews-policy');
  const appId = 'Application (client) ID';
  // Without an application the verdict only sums the policy up (and the step's code is loaded: typing now carries).
  await expect(read.getByText(/^OK: EwsEnabled reads False; EwsAllowedAppIDs holds 2 ids\.$/)).toBeVisible();
  await read.getByLabel(appId, { exact: true }).fill(ARCHIVER);
  await expect(read.getByText(/^Needed: EwsEnabled reads False: EWS is off for the whole organization/)).toBeVisible();
  await read.getByRole('button', { name: 'Run this step' }).click();
  await expect(read.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(
    read
      .getByText('Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List EwsEnabled,EwsAllowedAppIDs', {
        exact: true,
      })
      .last(),
  ).toBeVisible();
  await expect(read.getByText(`EwsAllowedAppIDs: ${PREPOPULATED}`, { exact: true })).toBeVisible();

  // 2. The allow step: the copied list goes into the form; the verdict names the tenant-wide change before any run.
  const allow = stepRegion(page, 'allow-ews-application');
  const run = allow.getByRole('button', { name: 'Run this step' });
  // The id typed in the first step is carried to the others; the sandbox offers the list as the first step read it.
  await expect(allow.getByLabel(appId, { exact: true })).toHaveValue(ARCHIVER);
  await expect(stepRegion(page, 'remove-ews-application').getByLabel(appId, { exact: true })).toHaveValue(ARCHIVER);
  await allow.getByRole('button', { name: "Use the sandbox's values" }).click();
  await expect(allow.getByLabel('The allow list as it reads now')).toHaveValue(PREPOPULATED);
  await expect(run).toHaveAccessibleDescription(
    /^Needed: .*sets EwsEnabled to True for the whole organization: EWS comes back for the 2 other applications already in the list as well as for this one\. Tick "Confirm the tenant-wide change" to run it\.$/,
  );
  await expect(allow.locator('[data-preview]')).toHaveText(
    `Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs '${PREPOPULATED},${ARCHIVER}'`,
  );
  // Without the confirmation the companion runs nothing, and says so.
  await run.click();
  await expect(allow.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(
    allow.getByText(/What it means: The step changes the EWS policy of the whole organization/),
  ).toBeVisible();
  await allow.getByLabel('Confirm the tenant-wide change').check();
  await run.click();
  await expect(allow.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(
    allow.getByText(
      `EwsEnabled was False and reads True now: EWS is back for the 2 other applications already in the list too.`,
    ),
  ).toBeVisible();
  await expect(
    allow.getByText(
      new RegExp(
        `^EwsEnabled reads True and EwsAllowedAppIDs holds 3 ids, ${ARCHIVER} among them: ${PREPOPULATED},${ARCHIVER}\\.`,
      ),
    ),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'application allowed');
  // The remove step's form now holds the list as the allow left it (its undo's parameters).
  await expect(stepRegion(page, 'remove-ews-application').getByLabel('The allow list as it reads now')).toHaveValue(
    `${FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId).join(', ')}, ${ARCHIVER}`,
  );

  // 3. The archiver's mailboxes: Lynne Robbins's has EWS off.
  const mailboxes = stepRegion(page, 'check-ews-mailboxes');
  await mailboxes.getByRole('button', { name: "Use the sandbox's values" }).click();
  await expect(mailboxes.getByLabel('Mailboxes', { exact: true })).toHaveValue(
    `${at('diego.siciliani')}, ${at('lynne.robbins')}`,
  );
  await expect(
    mailboxes.getByText(new RegExp(`^Blocked: EWS is off for ${at('lynne.robbins').replaceAll('.', '\\.')}:`)),
  ).toBeVisible();
  await mailboxes.getByRole('button', { name: 'Run this step' }).click();
  await expect(mailboxes.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(
    mailboxes.getByText(`${at('diego.siciliani')}: EwsEnabled True (EWS may reach this mailbox)`, { exact: true }),
  ).toBeVisible();
  await expect(
    mailboxes.getByText(`${at('lynne.robbins')}: EwsEnabled False (EWS is off for this mailbox)`, { exact: true }),
  ).toBeVisible();

  // 4. Undo removes exactly the archiver: the policy reads the pre-populated list again, EwsEnabled stays True.
  await allow.getByRole('button', { name: 'Undo' }).click();
  await expect(allow.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await read.getByRole('button', { name: 'Run this step' }).click();
  await expect(read.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(read.getByText(`EwsAllowedAppIDs: ${PREPOPULATED}`, { exact: true })).toBeVisible();
  await expect(read.getByText('EwsEnabled: True', { exact: true })).toBeVisible();
});

test('the days left are counted on the day the page is read', async ({ page }) => {
  const today = new Date(2027, 0, 15, 10, 0);
  await page.clock.setFixedTime(today);
  await page.goto(EWS_PAGE.path);
  await expect(page.locator('[data-ews-countdown]')).toHaveText(countdownText(today));
  await expect(page.locator('[data-ews-countdown]')).toContainText('Today, 15 January 2027, that is 76 days away.');
});

test('without JavaScript the page says how many days were left when it was updated, and every step shows its PowerShell', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(EWS_PAGE.path);
  await expect(page.locator('[data-ews-countdown]')).toHaveText(
    'Exchange Online retires EWS on 1 April 2027, with no exceptions (MC1227454). On 3 December 2026, when this page was last updated, that was 119 days away.',
  );
  for (const id of STEPS) {
    const step = stepRegion(page, id);
    await expect(step.locator('[data-preview] pre')).toBeVisible();
    await expect(
      step.getByText(
        /^JavaScript is turned off in this browser, so this step cannot run from the page\. Copy the PowerShell above/,
      ),
    ).toBeVisible();
  }
  await expect(stepRegion(page, 'read-ews-policy').locator('[data-preview]')).toHaveText(
    'Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List EwsEnabled,EwsAllowedAppIDs',
  );
  await context.close();
});

test('every section the steps and explanations link to exists on the page', async ({ page }) => {
  await page.goto(EWS_PAGE.path);
  for (const id of Object.values(EWS_SECTIONS)) await expect(page.locator(`[id="${id}"]`), id).toHaveCount(1);
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core finds no violations on the page in the ${theme} theme`, async ({ page }) => {
    await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    await page.goto(EWS_PAGE.path);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expectNoAxeViolations(page, `${theme} theme, nothing clicked`);
  });
}
