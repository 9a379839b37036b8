/**
 * What a new admin trips over (issue 11), walked through the page on the sandbox: a second admin on the same page,
 * pictures that could pass for live cards, one coherent state per step, confirmations, the page without JavaScript or
 * without the companion, and PowerShell that wraps as admins read it.
 */
import type { Page } from '@playwright/test';
import { GUIDES } from '../../src/runbook/catalog.ts';
import { stepIdsIn } from '../support/reader-text.ts';
import { CONTOSO, expect, FABRIKAM, GUIDE, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

const RBAC_GUIDE = '/guides/rbac-for-applications/';
const checklistRow = (page: Page, title: string) =>
  page.locator('runbook-checklist').getByRole('listitem').filter({ hasText: title });

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, CONTOSO);
  await resetSandbox(request, FABRIKAM);
});

test('another admin on the same page: signing out and in as fabrikam without a reload leaves nothing of contoso', async ({
  page,
}) => {
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const role = stepRegion(page, 'check-impersonation-role');
  await role.getByRole('button', { name: 'Run this step' }).click();
  await expect(role.getByRole('status')).toHaveText('Succeeded');
  const create = stepRegion(page, 'create-role-group');
  await create.getByLabel('Description').fill('typed by the contoso admin');
  await expect(create.locator('[data-preview]')).toContainText('typed by the contoso admin');
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(checklistRow(page, 'Check that the ApplicationImpersonation role exists')).toContainText('Done by you');

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  // Signed out: the cards are back to the page as it was built, the checklist knows nothing.
  await expect(create.getByLabel('Members')).toHaveValue('svc-ews@yourtenant.onmicrosoft.com');
  await expect(create.getByLabel('Description')).toHaveValue('');
  await expect(create.locator('[data-preview]')).not.toContainText('contoso');
  for (const id of ['check-impersonation-role', 'create-role-group']) {
    await expect(stepRegion(page, id).getByRole('status')).toHaveText('');
    await expect(stepRegion(page, id).locator('[data-output]')).toBeHidden();
    await expect(stepRegion(page, id).locator('[data-result]')).toBeHidden();
    await expect(stepRegion(page, id).locator('[data-verdict]')).toHaveText(
      'Sign in to check this step against your tenant.',
    );
  }
  await expect(checklistRow(page, 'Check that the ApplicationImpersonation role exists')).toContainText(
    'Sign in to see',
  );

  await signInSandbox(page, FABRIKAM);
  await expect(create.getByLabel('Members')).toHaveValue('svc-ews@fabrikam.onmicrosoft.com');
  await expect(
    role.getByText(/^Blocked: Microsoft removed ApplicationImpersonation from Exchange Online/),
  ).toBeVisible();
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  await expect(checklistRow(page, 'Check that the ApplicationImpersonation role exists')).toContainText('Blocked');
  // Give a late answer for contoso every chance to land: none may appear on fabrikam's cards.
  await page.waitForTimeout(1_000);
  // What a card shows of a tenant: its form, preview, verdict, status, output and result.
  const shown = page
    .locator('runbook-step')
    .locator('form, [data-preview], [data-verdict], [data-status], [data-output], [data-result]');
  for (const part of await shown.all()) await expect(part).not.toContainText('contoso');
  await expect(role.getByRole('status')).toHaveText('');
  await expect(page.locator('runbook-checklist')).not.toContainText('Done by you');
});

test('pictures are captioned figures, and a picture of a card is hidden while that card is live', async ({
  page,
  browser,
}) => {
  for (const path of GUIDES.map((guide) => guide.path)) {
    await page.goto(path);
    await expect(page.locator('runbook-step [data-live]').first()).toBeVisible();
    const figures = page.locator('main figure.rb-screenshot');
    expect(await figures.count(), `${path} has pictures`).toBeGreaterThan(0);
    for (const figure of await figures.all()) {
      await expect(figure.locator('figcaption')).toHaveText(/^Picture \S/);
      // One picture, in the page's theme (each figure holds a light and a dark variant).
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      if (await figure.isVisible()) {
        await expect(figure.locator('img:visible')).toHaveCount(1);
        await expect(figure.locator('img:visible')).toHaveAttribute('src', new RegExp(`-${theme}\\.png$`));
      }
      const depicts = await figure.getAttribute('data-depicts');
      if (depicts) {
        await expect(stepRegion(page, depicts), `the card ${depicts} is on the page`).toHaveCount(1);
        await expect(figure, `the picture of ${depicts} is hidden beside its live card`).toBeHidden();
      }
    }
    // Every image of the guide sits in a captioned figure (no bare pictures, no drawings of the admin center).
    expect(
      await page.locator('main img:not(figure.rb-screenshot img)').count(),
      `${path}: images outside a figure`,
    ).toBe(0);
  }
  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto(GUIDE);
  const success = still.locator('figure[data-depicts="create-role-group"]').first();
  await success.scrollIntoViewIfNeeded();
  await expect(success).toBeVisible();
  await expect(success.locator('figcaption')).toContainText('On the sandbox');
  // One picture per figure: without JavaScript the page keeps Starlight's static dark theme, so the dark variant.
  for (const figure of await still.locator('main figure.rb-screenshot').all()) {
    await expect(figure.locator('img:visible')).toHaveCount(1);
    await expect(figure.locator('img:visible')).toHaveAttribute('src', /-dark\.png$/);
  }
  await context.close();
});

test('one state per step: card and checklist agree, and say who did it', async ({ page }) => {
  test.setTimeout(90_000);
  // fabrikam never had a role group (the role is gone there), and nobody ran its checks on this companion yet.
  await page.goto(RBAC_GUIDE);
  await signInSandbox(page, FABRIKAM);
  const find = stepRegion(page, 'find-impersonation-assignments');
  await expect(find.locator('[data-verdict]')).toHaveText(
    /^OK: Exchange cannot find ApplicationImpersonation in this organization/,
  );
  await expect(checklistRow(page, 'Find what still uses ApplicationImpersonation')).toHaveText(/OK$/);
  // Signed in, with forms still to fill in: the checklist says so instead of "Sign in to see".
  await expect(checklistRow(page, 'Register the application in Exchange')).toHaveText(/Fill in the form$/);
  await expect(page.locator('runbook-checklist')).not.toContainText('Sign in to see');
  await page.goto(GUIDE);
  // Nothing was ever created, so the clean-up has nothing to remove: not "Done".
  await expect(stepRegion(page, 'remove-role-group').locator('[data-verdict]')).toHaveText(/^Nothing to remove: /);
  await expect(checklistRow(page, 'Remove the role group')).toHaveText(/Nothing to remove$/);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await signInSandbox(page, CONTOSO);

  const enable = stepRegion(page, 'enable-customization');
  await expect(enable.locator('[data-verdict][data-state]')).toBeVisible();
  await enable.getByRole('button', { name: 'Run this step' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /run it|Enable/ })
    .click();
  await expect(enable.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  // IsDehydrated still reads True for a while: the verdict follows the successful run, not the stale "Needed".
  await expect(enable.locator('[data-verdict]')).toHaveText(
    /^Done: You ran this step at .+ IsDehydrated still reads True/,
  );
  await expect(checklistRow(page, 'Enable organization customization')).toContainText('Done by you');
});

test('without JavaScript the steps say that JavaScript is off, not that the companion is missing', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(GUIDE);
  const create = stepRegion(page, 'create-role-group');
  await expect(
    create.getByText(/^JavaScript is turned off in this browser, so this step cannot run from the page\./),
  ).toBeVisible();
  await expect(create.getByText(/companion/)).toHaveCount(0);
  await expect(page.locator('runbook-checklist').getByText(/once JavaScript is on/)).toBeVisible();
  await expect(page.locator('runbook-checklist')).not.toContainText('Sign in to see');
  await context.close();
});

test('with the companion stopped the page names its own origin, shows no Markdown, and clears what went stale', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const role = stepRegion(page, 'check-impersonation-role');
  await role.getByRole('button', { name: 'Run this step' }).click();
  await expect(role.getByRole('status')).toHaveText('Succeeded');
  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();

  // The companion goes away: the next probe and the next run say so, with this page's origin and plain words.
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await create.getByLabel('Description').fill('x');
  const down = `The companion is not running: nothing answers at ${origin}. Start it with npm start in the runbook's folder, then reload this page.`;
  await expect(create.locator('[data-verdict]')).toHaveText(down);
  await role.getByRole('button', { name: 'Run this step' }).click();
  await expect(role.locator('[data-verdict]')).toHaveText(down);
  await expect(
    role.locator('[data-output]'),
    "the earlier run's commands are not shown as if they ran now",
  ).toBeHidden();
  await expect(role.getByRole('status')).toHaveText('');
  await expect(checklistRow(page, 'Create the impersonation role group')).toContainText('Companion not running');
  expect(await page.locator('main').innerText()).not.toMatch(/`/);

  // Loaded with the companion already stopped: the same message, no sign-in, and no port but the page's own.
  await page.reload().catch(() => {});
  await page.unrouteAll();
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await page.goto(GUIDE);
  const offline = stepRegion(page, 'create-role-group').locator('[data-offline]');
  await expect(offline).toHaveText(`${down} Until then, copy the PowerShell above.`);
  await expect(page.locator('runbook-checklist')).toContainText('Start the companion to see');
  expect(await page.locator('main').innerText()).not.toContain('4321');
});

test('PowerShell previews wrap at 390 px, never inside a parameter, and the live preview wraps the same', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(GUIDE);
  const preview = stepRegion(page, 'create-role-group').locator('[data-preview] pre');
  /** Whether everything fits (no horizontal scrolling) and no unit (a cmdlet, a -Parameter, a word) spans two lines. */
  const layout = () =>
    preview.evaluate((pre) => ({
      fits: pre.scrollWidth <= pre.clientWidth,
      broken: [...pre.querySelectorAll('.ps-unit')]
        .filter((unit) => {
          const [first, last] = [unit.firstElementChild!, unit.lastElementChild!].map(
            (part) => part.getBoundingClientRect().top,
          );
          return (
            last! - first! > 1 ||
            unit.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(pre).lineHeight)
          );
        })
        .map((u) => u.textContent),
      lines: Math.round(
        pre.querySelector('code')!.getBoundingClientRect().height / parseFloat(getComputedStyle(pre).lineHeight),
      ),
    }));
  await preview.scrollIntoViewIfNeeded();
  await expect(preview.getByText('Members', { exact: true })).toBeInViewport();
  let seen = await layout();
  expect(seen.fits, 'the whole command is visible without scrolling').toBe(true);
  expect(seen.broken).toEqual([]);
  expect(seen.lines, 'the command wraps').toBeGreaterThan(1);

  // Signed in at desktop width (below 50rem the sign-in sits in Starlight's mobile menu), then back to 390 px.
  await page.setViewportSize({ width: 1280, height: 844 });
  await signInSandbox(page, CONTOSO);
  await page.setViewportSize({ width: 390, height: 844 });
  const create = stepRegion(page, 'create-role-group');
  await create.getByLabel('Members').fill('svc-ews@contoso.onmicrosoft.com, svc-archive@contoso.onmicrosoft.com');
  await expect(preview).toContainText('svc-archive@contoso.onmicrosoft.com');
  seen = await layout();
  expect(seen.fits).toBe(true);
  expect(seen.broken).toEqual([]);
  expect(await preview.textContent()).toBe(
    "New-RoleGroup -Name 'EWS Application Impersonation' -Roles 'ApplicationImpersonation' " +
      "-Members 'svc-ews@contoso.onmicrosoft.com','svc-archive@contoso.onmicrosoft.com'",
  );
});

test('no internal step id in what a reader sees; steps are named by title and linked to their cards', async ({
  page,
}) => {
  /** The page's visible text with the texts a screen reader gets from attributes (alt, aria-label, title). */
  const readerText = () =>
    page.evaluate(() =>
      [
        document.body.innerText,
        ...[...document.querySelectorAll('[alt], [aria-label], [title]')].flatMap((el) =>
          ['alt', 'aria-label', 'title'].map((name) => el.getAttribute(name) ?? ''),
        ),
      ].join('\n'),
    );
  for (const path of ['/', ...GUIDES.map((guide) => guide.path), '/reference/errors/']) {
    await page.goto(path);
    expect(stepIdsIn(await readerText()), `step ids on ${path}`).toEqual([]);
  }
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  // The verdict names the steps to run first, each a link to its card on this page.
  await expect(
    create.locator('[data-verdict]').getByRole('link', { name: 'Enable organization customization' }),
  ).toHaveAttribute('href', '#run-enable-customization');
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  const next = create.locator('[data-result]').getByRole('link', { name: 'Wait until IsDehydrated reads False' });
  await expect(next).toHaveAttribute('href', '#run-check-dehydrated');
  expect(stepIdsIn(await readerText()), 'step ids after a run').toEqual([]);
  await next.click();
  await expect(page).toHaveURL(/#run-check-dehydrated$/);
});

test('what takes access away asks first and names it; a harmless re-run and a scope removal do not ask', async ({
  page,
  request,
}) => {
  const APP = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';
  // Set-up through the API: fabrikam's archiver registered, and a scope that no assignment uses.
  const { accessToken, exchangeToken } = (await (
    await request.post('/api/sandbox/sign-in', { data: { user: FABRIKAM } })
  ).json()) as Record<string, string>;
  const headers = { Authorization: `Bearer ${accessToken}`, 'X-Exchange-Token': exchangeToken! };
  for (const [step, params] of [
    [
      'create-service-principal',
      { appId: APP, objectId: 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64', displayName: 'Fabrikam Mail Archiver' },
    ],
    ['create-management-scope', { name: 'Unused scope', filter: "Department -eq 'Nobody'" }],
  ] as const) {
    const { id } = (await (await request.post('/api/runs', { headers, data: { step, params } })).json()) as {
      id: string;
    };
    await expect
      .poll(
        async () => ((await (await request.get(`/api/runs/${id}`, { headers })).json()) as { status: string }).status,
      )
      .toBe('succeeded');
  }
  const runsStarted: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/runs') runsStarted.push(r.postData() ?? '');
  });
  const dialog = page.getByRole('dialog');

  await page.goto(RBAC_GUIDE);
  await signInSandbox(page, FABRIKAM);
  const removeApp = stepRegion(page, 'remove-service-principal');
  await removeApp.getByRole('textbox').fill(APP);
  await expect(removeApp.locator('[data-verdict]')).toHaveText(/^Needed: /);
  await removeApp.getByRole('button', { name: 'Run this step' }).click();
  await expect(dialog.getByRole('heading')).toHaveText(`Remove the service principal of application ${APP}?`);
  await expect(dialog).toContainText('the application roles assigned to it stop applying');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(runsStarted, 'cancelling runs nothing').toEqual([]);
  await removeApp.getByRole('button', { name: 'Run this step' }).click();
  await dialog.getByRole('button', { name: 'Remove the service principal' }).click();
  await expect(removeApp.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });

  // Removing a scope that no assignment uses takes no access away: one click.
  const removeScope = stepRegion(page, 'remove-management-scope');
  await removeScope.getByRole('textbox').fill('Unused scope');
  await expect(removeScope.locator('[data-verdict]')).toHaveText(/^Needed: /);
  await removeScope.getByRole('button', { name: 'Run this step' }).click();
  await expect(removeScope.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(dialog).toBeHidden();

  // fabrikam is customized already (the probe says so): enabling again changes nothing, so it does not ask.
  await page.goto(GUIDE);
  const enable = stepRegion(page, 'enable-customization');
  await expect(enable.locator('[data-verdict]')).toHaveText(/^(Already done|Done): /);
  await enable.getByRole('button', { name: 'Run this step' }).click();
  await expect(enable.getByRole('status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(dialog).toBeHidden();

  // contoso is not customized: the same step asks, and says it cannot be undone.
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await signInSandbox(page, CONTOSO);
  await expect(enable.locator('[data-verdict]')).toHaveText(/^(Needed|Done): /);
  await enable.getByRole('button', { name: 'Run this step' }).click();
  await expect(dialog.getByRole('heading')).toHaveText('Enable organization customization? This cannot be undone');
  await page.keyboard.press('Escape');
});

test("the sandbox's words are labelled as the sandbox's, never as Exchange's; the errors page marks exact quotes", async ({
  page,
  request,
}) => {
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  await create.getByRole('button', { name: 'Run this step' }).click();
  await expect(create.getByRole('status')).toHaveText('Failed', { timeout: 20_000 });
  // A text the sandbox copies from Exchange (a confirmed quote) says so; the output labels the answer as the sandbox's.
  await expect(create.locator('[data-result]')).toContainText(
    "The sandbox answered in Exchange's words: The command you tried to run",
  );
  await expect(create.locator('[data-output]')).toContainText(
    "The sandbox answered: The command you tried to run isn't currently allowed",
  );

  // A text the sandbox made up (the real service's reaction is unconfirmed) is the sandbox's own.
  const { accessToken, exchangeToken } = (await (
    await request.post('/api/sandbox/sign-in', { data: { user: FABRIKAM } })
  ).json()) as Record<string, string>;
  const headers = { Authorization: `Bearer ${accessToken}`, 'X-Exchange-Token': exchangeToken! };
  const params = {
    appId: '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93',
    objectId: 'e4c07a91-2f5b-4d38-a6e1-93b8c0d2f715',
    displayName: 'Fabrikam Mail Archiver',
  };
  const { id } = (await (
    await request.post('/api/runs', { headers, data: { step: 'create-service-principal', params } })
  ).json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${id}`, { headers })).json()) as { status: string }).status)
    .toBe('failed');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await page.goto(RBAC_GUIDE);
  await signInSandbox(page, FABRIKAM);
  const register = stepRegion(page, 'create-service-principal');
  await expect(register.locator('[data-result]')).toContainText(
    "The sandbox's own words (what Exchange says here is unconfirmed): The object id",
  );
  for (const card of await page.locator('runbook-step').all()) await expect(card).not.toContainText('Exchange said');

  // The errors page: each entry says whether its text is Exchange's exact wording or not.
  await page.goto('/reference/errors/');
  await expect(page.locator('main')).toContainText("Exchange's exact text.");
  await expect(page.locator('main')).toContainText("Unconfirmed: The sandbox's wording");
});
