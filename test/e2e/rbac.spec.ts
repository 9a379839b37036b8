/**
 * The RBAC for Applications guide through the page on the sandbox: a fabrikam admin starts on the first guide, is led
 * here by the blocked verdict, registers Fabrikam Mail Archiver (after the app registration's object id is refused
 * and explained), scopes it to CustomAttribute1 = EWS-Archive, assigns Application Mail.Read, and sees InScope True
 * for exactly the two scoped mailboxes; then undoes the assignment.
 */
import { RBAC_SECTIONS } from '../../src/runbook/guides/rbac-for-applications/sections.ts';
import { FABRIKAM_ARCHIVER } from '../../server/sandbox/tenants/fabrikam.ts';
import {
  expect,
  expectNoAxeViolations,
  FABRIKAM,
  GUIDE,
  resetSandbox,
  signInSandbox,
  stepRegion,
  test,
} from './support.ts';

const RBAC_GUIDE = '/guides/rbac-for-applications/';
const SCOPE = 'EWS-Archive mailboxes';
const IN_SCOPE = ['diego.siciliani', 'lynne.robbins'];
const OUT_OF_SCOPE = ['admin', 'svc-ews', 'isaiah.langer', 'helpdesk'];
const at = (alias: string) => `${alias}@fabrikam.onmicrosoft.com`;

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, FABRIKAM);
});

test('fabrikam: from the blocked impersonation step to an app authorized for exactly the scoped mailboxes', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(GUIDE);
  await signInSandbox(page, FABRIKAM);

  // 1. The first guide's blocked verdict leads here.
  await stepRegion(page, 'check-impersonation-role').getByRole('link', { name: 'What to do instead' }).click();
  await expect(page).toHaveURL(new RegExp(`${RBAC_GUIDE}$`));
  await expect(page.getByRole('banner').locator('[data-badge]')).toContainText(FABRIKAM);

  // 2. Nothing holds ApplicationImpersonation any more, and the verdict says why.
  const find = stepRegion(page, 'find-impersonation-assignments');
  await expect(find.getByText(/^OK: Exchange cannot find ApplicationImpersonation in this organization/)).toBeVisible();

  // 3. Registering with the app registration's object id fails, explained; the enterprise application's works.
  //    Signed in with empty fields, the verdict (the button's description) says what to fill in, not to sign in.
  const register = stepRegion(page, 'create-service-principal');
  const registerRun = register.getByRole('button', { name: 'Run this step' });
  await expect(registerRun).toHaveAccessibleDescription(
    'Fill in Application (client) ID, Object ID and Display name to check this step against your tenant.',
  );
  await register.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
  await expect(registerRun).toHaveAccessibleDescription(
    'Fill in Object ID and Display name to check this step against your tenant.',
  );
  // How far below the verdict's top the button sits (scrolling, and field errors that go away, move both alike).
  const offset = () =>
    registerRun.evaluate(
      (button) =>
        button.getBoundingClientRect().top -
        button.closest('runbook-step')!.querySelector('[data-verdict]')!.getBoundingClientRect().top,
    );
  const before = await offset();
  await register.getByLabel('Object ID').fill(FABRIKAM_ARCHIVER.applicationObjectId);
  await register.getByLabel('Display name').fill(FABRIKAM_ARCHIVER.displayName);
  // The probe follows the typing (no need to leave the field), and its verdict does not move the button.
  await expect(registerRun).toHaveAccessibleDescription(/^Needed/);
  expect(await offset(), 'Run this step stays where it was').toBe(before);
  await registerRun.click();
  await expect(register.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(register.getByText(/What it means: The object id you gave belongs to something else/)).toBeVisible();
  const why = await register.getByRole('link', { name: 'Read about this in the guide' }).getAttribute('href');
  await expect(
    page.locator(new URL(why!, page.url()).hash),
    'the explanation links to a section of this guide',
  ).toHaveCount(1);
  // Edit and click at once: the run takes the value just typed, whatever the probe is doing.
  await register.getByLabel('Object ID').fill(FABRIKAM_ARCHIVER.servicePrincipalObjectId);
  await registerRun.click();
  await expect(register.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(register.getByText(/^Done: You ran this step at /)).toBeVisible();

  // 4. The scope: a bad filter is refused as you type, naming the problem; the good one is created.
  const scope = stepRegion(page, 'create-management-scope');
  await scope.getByLabel('Name', { exact: true }).fill(SCOPE);
  const filter = scope.getByLabel('Filter', { exact: true });
  await filter.fill("CustomAttribute1 -eq 'EWS-Archive");
  await expect(scope.getByText(/unbalanced quote: the ' at character 22 is never closed/)).toBeVisible();
  await expect(scope.getByRole('button', { name: 'Run this step' })).toBeDisabled();
  await filter.fill("CustomAttribute1 -like 'EWS-Archive' -and Department -contains 'x'");
  await expect(scope.getByText(/unknown operator "-contains"/)).toBeVisible();
  await filter.fill("CustomAttribute1 -eq 'EWS-Archive'");
  await expect(filter).toHaveAttribute('aria-invalid', 'false');
  await expect(scope.getByText(/^Needed/)).toBeVisible();
  await scope.getByRole('button', { name: 'Run this step' }).click();
  await expect(scope.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });

  // 5. Application Mail.Read (the default role) limited to the scope.
  const assign = stepRegion(page, 'assign-application-role');
  await assign.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
  await expect(assign.getByLabel('Role', { exact: true })).toHaveValue('Application Mail.Read');
  await assign.getByLabel('Scope', { exact: true }).fill(SCOPE);
  await expect(assign.getByText(/^Needed/)).toBeVisible();
  await assign.getByRole('button', { name: 'Run this step' }).click();
  await expect(assign.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expectNoAxeViolations(page, 'role assigned');

  // 6. The verification: InScope True for exactly the two scoped mailboxes.
  const verify = stepRegion(page, 'test-app-authorization');
  await verify.getByLabel('Application (client) ID').fill(FABRIKAM_ARCHIVER.appId);
  await expect(
    verify.getByText(/^OK: The application holds Application Mail\.Read \(scope EWS-Archive mailboxes\)/),
  ).toBeVisible();
  await verify.getByRole('button', { name: 'Run this step' }).click();
  await expect(verify.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(
    verify.getByText(`In scope: ${IN_SCOPE.map(at).join(', ')}. Out of scope: ${OUT_OF_SCOPE.map(at).join(', ')}.`),
  ).toBeVisible();
  // Test-ServicePrincipalAuthorization's answer as a table: one row per mailbox, InScope True or False.
  const answer = verify.getByRole('table');
  await expect(answer.getByRole('caption')).toHaveText(
    `RoleName Application Mail.Read (GrantedPermissions Mail.Read), AllowedResourceScope ${SCOPE} (ScopeType CustomRecipientScope)`,
  );
  await expect(answer.getByRole('columnheader')).toHaveText(['Mailbox', 'InScope']);
  const inScopeOf = (alias: string) =>
    answer
      .getByRole('row', { name: new RegExp(`^${at(alias).replaceAll('.', '\\.')} `) })
      .getByRole('cell')
      .nth(1);
  for (const alias of IN_SCOPE) await expect(inScopeOf(alias)).toHaveText('✓ True');
  for (const alias of OUT_OF_SCOPE) await expect(inScopeOf(alias)).toHaveText('✗ False');
  // True and False look different, and not by colour alone: a mark and a weight tell them apart too.
  const looks = (alias: string) =>
    inScopeOf(alias)
      .locator('.rb-bool')
      .evaluate((el) => {
        const style = getComputedStyle(el);
        return {
          background: style.backgroundColor,
          weight: style.fontWeight,
          mark: el.querySelector('[aria-hidden]')?.textContent,
        };
      });
  const [yes, no] = [await looks(IN_SCOPE[0]!), await looks(OUT_OF_SCOPE[0]!)];
  expect(yes.background).not.toBe(no.background);
  expect([yes.mark, no.mark]).toEqual(['✓', '✗']);
  expect(yes.weight).not.toBe(no.weight);

  // 7. Undo takes the role away again, after saying so.
  await assign.getByRole('button', { name: 'Undo' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText(
    /^Remove the role assignment "Application Mail\.Read-3f6a2c1e-EWS-Archive mailboxes"\?$/,
  );
  await expect(dialog).toContainText('The application loses the application role');
  await dialog.getByRole('button', { name: 'Remove the role assignment' }).click();
  await expect(assign.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(assign.getByText(/^Needed/)).toBeVisible();
});

test('every section the steps and explanations link to exists on the page', async ({ page }) => {
  await page.goto(RBAC_GUIDE);
  for (const id of Object.values(RBAC_SECTIONS)) await expect(page.locator(`[id="${id}"]`), id).toHaveCount(1);
});
