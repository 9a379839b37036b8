/**
 * The seed flow through the page on the sandbox: contoso (as in 2023) from the dehydrated error to a role group and
 * back, and fabrikam (as in 2026) where the role is gone and the page points to the replacement. The e2e companion
 * runs with customization and propagation delays of a few seconds (playwright.config.ts).
 */
import {
  CONTOSO,
  expect,
  expectNoAxeViolations,
  FABRIKAM,
  GUIDE,
  resetSandbox,
  signInSandbox,
  stepRegion,
  test,
} from './support.ts';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, CONTOSO);
  await resetSandbox(request, FABRIKAM);
});

test('contoso: dehydrated error explained, enable (confirmed), wait for IsDehydrated False, create, undo', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);

  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByLabel('Members')).toHaveValue('svc-ews@contoso.onmicrosoft.com');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  await expectNoAxeViolations(page, 'signed in, verdicts shown');

  // 1. Creating the group fails with Exchange's exact words and the catalog's explanation.
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(
    create
      .getByText("The command you tried to run isn't currently allowed in your organization.", { exact: false })
      .last(),
  ).toBeVisible();
  await expect(create.getByText(/What it means: Your organization is still "dehydrated"/)).toBeVisible();
  const guideLink = await create.getByRole('link', { name: 'Read about this in the guide' }).getAttribute('href');
  expect(guideLink).toMatch(new RegExp(`^${GUIDE}#.+`));
  await expect(
    page.locator(new URL(guideLink!, page.url()).hash),
    'the explained error links to a section of this guide',
  ).toHaveCount(1);
  await expect(page.locator(':focus')).toHaveAttribute('data-result', '');
  await expectNoAxeViolations(page, 'failed with explanation');

  // 2. Enabling customization asks first, because it cannot be undone; cancelling runs nothing.
  const enable = stepRegion(page, 'enable-customization');
  const run = enable.getByRole('button', { name: 'Run this step' });
  const runsStarted: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/runs') runsStarted.push(r.postData() ?? '');
  });
  await run.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('cannot be undone');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectNoAxeViolations(page, 'confirmation dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(run).toBeFocused();
  expect(runsStarted, 'cancelling the dialog runs nothing').toEqual([]);
  await run.click();
  await dialog.getByRole('button', { name: 'Enable customization' }).click();
  await expect(enable.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });

  // 3. Waiting for IsDehydrated False is honest: elapsed time, next check, why; it survives a reload.
  const check = stepRegion(page, 'check-dehydrated');
  await check.getByRole('button', { name: 'Run this step' }).click();
  await expect(check.getByRole('status')).toHaveText('Waiting', { timeout: 20_000 });
  await expect(check.getByText(/^Elapsed \d+:\d\d\.$/)).toBeVisible();
  await expect(check.getByText(/^Next check at .+ \(in \d+:\d\d\)\.$/)).toBeVisible();
  await expect(check.getByText(/no Microsoft source gives a time/)).toBeVisible();
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(() => {
    // Records notifications instead of showing them, so the test can see the one sent when the wait ends.
    const shown: string[] = ((window as unknown as { shown: string[] }).shown = []);
    window.Notification = class extends Notification {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    };
  });
  // After the reload the first two event streams drop: the page picks the run up again by itself.
  let streams = 0;
  await page.route('**/api/runs/*/events', (route) =>
    ++streams <= 2 ? route.abort('connectionreset') : route.continue(),
  );
  await page.reload();
  await expect(check.getByRole('status')).toHaveText('Waiting', { timeout: 20_000 });
  await expect.poll(() => streams, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  await check.getByRole('button', { name: 'Notify me when it is done' }).click();
  await expect(check.getByRole('button', { name: 'You will be notified' })).toBeDisabled();
  await expectNoAxeViolations(page, 'waiting');
  await expect(check.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toEqual([
    'Wait until IsDehydrated reads False: succeeded',
  ]);
  await expect(check.getByText('Lost the connection')).toHaveCount(0);
  await expect(check.getByText(/^Done: You ran this step at /)).toBeVisible();

  // 4. Now the group can be created (the step retries while the change propagates), then undone.
  await expect(create.getByText(/^Needed/)).toBeVisible();
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Succeeded', { timeout: 60_000 });
  await expect(create.getByText(/^Done: You ran this step at /)).toBeVisible();
  // Each extra command says why it runs (the refusals while customization spreads: test/flows, both executors).
  const output = create.locator('[data-output]');
  await expect(
    output.getByRole('listitem').filter({ hasText: /^Checking that the new group holds the role and every member:$/ }),
  ).toBeVisible();
  await expect(output).not.toContainText('the write');
  await expectNoAxeViolations(page, 'succeeded');
  // Undo takes the role away from the group's members: it asks first, naming the group.
  await create.getByRole('button', { name: 'Undo' }).click();
  await expect(dialog.getByRole('heading')).toHaveText('Remove the role group "EWS Application Impersonation"?');
  await dialog.getByRole('button', { name: 'Remove the role group' }).click();
  await expect(create.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(create.getByText(/^Needed/)).toBeVisible();

  // 5. The checklist followed along, and the transcript names every run.
  const checklist = page.locator('runbook-checklist');
  await expect(checklist.getByRole('listitem').filter({ hasText: 'Enable organization customization' })).toContainText(
    'Done by you',
  );
  const download = page.waitForEvent('download');
  await checklist.getByRole('button', { name: 'Markdown' }).click();
  const transcript = await (
    await download
  )
    .path()
    .then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
  expect(transcript).toContain('Enable-OrganizationCustomization');
  expect(transcript).toContain('New-RoleGroup');
});

test('fabrikam: the role is gone, the steps say so and point to the replacement', async ({ page }) => {
  await page.goto(GUIDE);
  await signInSandbox(page, FABRIKAM);
  const role = stepRegion(page, 'check-impersonation-role');
  await expect(
    role.getByText(/^Blocked: Microsoft removed ApplicationImpersonation from Exchange Online from February 2025/),
  ).toBeVisible();
  await expect(role.getByRole('link', { name: 'What to do instead' })).toHaveAttribute('href', /rbac|what-replaced/);
  await expect(stepRegion(page, 'create-role-group').getByText(/^Blocked: /)).toBeVisible();
  await expect(stepRegion(page, 'create-role-group').getByLabel('Members')).toHaveValue(
    'svc-ews@fabrikam.onmicrosoft.com',
  );
  await expectNoAxeViolations(page, 'blocked');
});

test('dark theme: verdicts, a failure and its explanation pass axe too', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('starlight-theme', 'dark'));
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectNoAxeViolations(page, 'dark, failed with explanation');
});

test('the form validates as you type with the catalog schema and the preview follows', async ({ page }) => {
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const create = stepRegion(page, 'create-role-group');
  const name = create.getByLabel('Name', { exact: true });
  await name.fill('x'.repeat(65));
  await expect(create.getByText(/Name must be at most 64 characters/)).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(create.getByRole('button', { name: 'Run this step' })).toBeDisabled();
  await name.fill("Bob's $(group)");
  await expect(name).toHaveAttribute('aria-invalid', 'false');
  await expect(create.locator('[data-preview]')).toHaveText(
    /New-RoleGroup -Name 'Bob''s \$\(group\)' -Roles 'ApplicationImpersonation'/,
  );
  await expect(create.getByRole('button', { name: 'Run this step' })).toBeEnabled();
});

test('keyboard only: sign in from the picker, run a step, focus lands on the result', async ({ page }) => {
  await page.goto(GUIDE);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'signed out');
  const banner = page.getByRole('banner');
  const signIn = banner.getByRole('button', { name: 'Sign in', exact: true });
  await signIn.focus();
  await page.keyboard.press('Enter');
  await expect(signIn).toHaveAttribute('aria-expanded', 'true');
  await expect(banner.getByRole('button', { name: new RegExp(CONTOSO) })).toBeFocused();
  await expectNoAxeViolations(page, 'sign-in picker open');
  await page.keyboard.press('Escape');
  await expect(signIn).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(banner.getByRole('button', { name: 'Sign out' })).toBeFocused();
  const role = stepRegion(page, 'check-impersonation-role');
  const run = role.getByRole('button', { name: 'Run this step' });
  await expect(run).toBeEnabled();
  await run.focus();
  const clicked = Date.now();
  await page.keyboard.press('Enter');
  await expect(role.getByRole('status')).toHaveText('Succeeded');
  const ms = Date.now() - clicked;
  test.info().annotations.push({ type: 'click to result (sandbox)', description: `${ms} ms` });
  console.log(`"Run this step" to result on the sandbox: ${ms} ms`);
  await expect(role.locator('[data-result]')).toBeFocused();
});

test('without JavaScript every step still shows its PowerShell and says JavaScript is off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(GUIDE);
  for (const id of [
    'check-impersonation-role',
    'create-role-group',
    'enable-customization',
    'check-dehydrated',
    'remove-role-group',
  ]) {
    const step = stepRegion(page, id);
    await expect(step.locator('[data-preview] pre')).toBeVisible();
    await expect(
      step.getByText(
        /^JavaScript is turned off in this browser, so this step cannot run from the page\. Copy the PowerShell above/,
      ),
    ).toBeVisible();
    await expect(step.getByRole('button', { name: 'Run this step' })).toBeHidden();
  }
  await expect(stepRegion(page, 'enable-customization').locator('[data-preview]')).toHaveText(
    'Enable-OrganizationCustomization',
  );
  await context.close();
});

test('with the companion unreachable the steps say so and keep the PowerShell to copy', async ({ page }) => {
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await page.goto(GUIDE);
  const step = stepRegion(page, 'create-role-group');
  await expect(
    step.getByText(
      /^The companion is not running: nothing answers at http:\/\/127\.0\.0\.1:\d+\. Start it with npm start/,
    ),
  ).toBeVisible();
  await expect(step.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign in' })).toBeHidden();
});
