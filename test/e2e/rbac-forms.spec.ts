/**
 * The RBAC for Applications forms as a new admin meets them: no red errors before anything is typed, labels as the
 * guide's text names the values, values typed once carried to every step that needs them (and the names the product
 * derives pre-filled in the clean-up steps), a preview without stale placeholders, and on the sandbox the tenant's
 * practice values in one click.
 */
import { FABRIKAM_ARCHIVER } from '../../server/sandbox/tenants/fabrikam.ts';
import { CONTOSO, expect, FABRIKAM, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

const RBAC_GUIDE = '/guides/rbac-for-applications/';
const SCOPE = 'EWS-Archive mailboxes';
const APP_FIELD = 'Application (client) ID';

test.beforeEach(async ({ request, page }) => {
  await resetSandbox(request, FABRIKAM);
  await page.goto(RBAC_GUIDE);
  await signInSandbox(page, FABRIKAM);
});

test('signed in with empty forms: no field is marked wrong, and the verdict says what to fill in', async ({ page }) => {
  const register = stepRegion(page, 'create-service-principal');
  await expect(register.getByRole('button', { name: 'Run this step' })).toHaveAccessibleDescription(
    `Fill in ${APP_FIELD}, Object ID and Display name to check this step against your tenant.`,
  );
  for (const id of [
    'create-service-principal',
    'create-management-scope',
    'assign-application-role',
    'test-app-authorization',
  ]) {
    await expect(stepRegion(page, id).locator('[aria-invalid="true"]'), `${id}: fields marked invalid`).toHaveCount(0);
    await expect(stepRegion(page, id).getByText(/must be|must not be empty/), `${id}: rule messages`).toHaveCount(0);
  }
  await expect(register.getByLabel(APP_FIELD)).toBeVisible();
  await expect(register.getByLabel('Object ID')).toBeVisible();
  // Typing a wrong value does show the rule, under the field.
  await register.getByLabel(APP_FIELD).fill('not-a-guid');
  await expect(register.getByText(`${APP_FIELD} must be a GUID`, { exact: false })).toBeVisible();
});

test('the application id typed once serves register, assign, verify and remove; derived names are pre-filled', async ({
  page,
}) => {
  const register = stepRegion(page, 'create-service-principal');
  await register.getByLabel(APP_FIELD).fill(FABRIKAM_ARCHIVER.appId);
  for (const id of ['assign-application-role', 'test-app-authorization', 'remove-service-principal']) {
    await expect(stepRegion(page, id).getByLabel(APP_FIELD), id).toHaveValue(FABRIKAM_ARCHIVER.appId);
  }
  // The preview shows what is filled in, and placeholders only for what is not.
  const preview = register.locator('[data-preview]');
  await expect(preview).toContainText(`-AppId '${FABRIKAM_ARCHIVER.appId}'`);
  await expect(preview).not.toContainText('<appId>');
  await expect(preview).toContainText('<objectId>');

  await stepRegion(page, 'create-management-scope').getByLabel('Name', { exact: true }).fill(SCOPE);
  const assign = stepRegion(page, 'assign-application-role');
  await expect(assign.getByLabel('Scope', { exact: true })).toHaveValue(SCOPE);
  await expect(stepRegion(page, 'remove-management-scope').getByLabel('Name', { exact: true })).toHaveValue(SCOPE);
  // The assignment name the product derives from role, application and scope, ready for its removal.
  await expect(stepRegion(page, 'remove-application-role-assignment').getByLabel('Name', { exact: true })).toHaveValue(
    `Application Mail.Read-${FABRIKAM_ARCHIVER.appId.slice(0, 8)}-${SCOPE}`,
  );
  await expect(assign.locator('[data-preview]')).toContainText(`-CustomResourceScope '${SCOPE}'`);

  // What the admin typed in a field is theirs: a later change elsewhere does not overwrite it.
  const verify = stepRegion(page, 'test-app-authorization').getByLabel(APP_FIELD);
  await verify.fill(FABRIKAM_ARCHIVER.servicePrincipalObjectId);
  await register.getByLabel(APP_FIELD).fill('00000000-0000-4000-8000-000000000000');
  await expect(verify).toHaveValue(FABRIKAM_ARCHIVER.servicePrincipalObjectId);
  await expect(assign.getByLabel(APP_FIELD)).toHaveValue('00000000-0000-4000-8000-000000000000');
});

test('"Use the sandbox\'s values" fills the form with fabrikam\'s application (the enterprise object id) and carries it on', async ({
  page,
}) => {
  const register = stepRegion(page, 'create-service-principal');
  await register.getByRole('button', { name: "Use the sandbox's values" }).click();
  await expect(register.getByLabel(APP_FIELD)).toHaveValue(FABRIKAM_ARCHIVER.appId);
  await expect(register.getByLabel('Object ID')).toHaveValue(FABRIKAM_ARCHIVER.servicePrincipalObjectId);
  await expect(register.getByLabel('Display name')).toHaveValue(FABRIKAM_ARCHIVER.displayName);
  await expect(register.getByRole('button', { name: 'Run this step' })).toHaveAccessibleDescription(/^Needed/);
  await expect(stepRegion(page, 'assign-application-role').getByLabel(APP_FIELD)).toHaveValue(FABRIKAM_ARCHIVER.appId);

  const scope = stepRegion(page, 'create-management-scope');
  await scope.getByRole('button', { name: "Use the sandbox's values" }).click();
  await expect(scope.getByLabel('Filter', { exact: true })).toHaveValue("CustomAttribute1 -eq 'EWS-Archive'");
  await expect(stepRegion(page, 'assign-application-role').getByLabel('Scope', { exact: true })).toHaveValue(SCOPE);
});

test('contoso has no practice application: the action is not offered there', async ({ page, request }) => {
  await resetSandbox(request, CONTOSO);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await signInSandbox(page, CONTOSO);
  await expect(
    stepRegion(page, 'create-service-principal').getByRole('button', { name: "Use the sandbox's values" }),
  ).toBeHidden();
});

test('before the scope exists, its step lists the mailboxes the filter selects (read-only Get-Mailbox -Filter)', async ({
  page,
}) => {
  const scope = stepRegion(page, 'create-management-scope');
  await scope.getByLabel('Name', { exact: true }).fill(SCOPE);
  await scope.getByLabel('Filter', { exact: true }).fill("CustomAttribute1 -eq 'EWS-Archive'");
  const run = scope.getByRole('button', { name: 'Run this step' });
  await expect(run).toHaveAccessibleDescription(
    `Needed: No management scope named "${SCOPE}" exists yet. The filter selects 2 mailboxes today: ` +
      'diego.siciliani@fabrikam.onmicrosoft.com, lynne.robbins@fabrikam.onmicrosoft.com.',
  );
  await scope.getByLabel('Filter', { exact: true }).fill("Department -eq 'No such department'");
  await expect(run).toHaveAccessibleDescription(
    /The filter selects no mailbox today: check the property and the value\.$/,
  );
});
