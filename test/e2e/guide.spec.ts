/** The ApplicationImpersonation guide and the errors page as a reader sees them in the built site. */
import { expect, test } from './support.ts';
import { GUIDES, STEPS } from '../../src/runbook/catalog.ts';
import { EXCHANGE_ERRORS } from '../../src/runbook/exchange/error-texts.ts';
import { ERRORS_PAGE } from '../../src/runbook/core/guide.ts';
import {
  IMPERSONATION_PAGE,
  IMPERSONATION_SECTIONS,
  PROCEDURE_ORDER,
} from '../../src/runbook/guides/application-impersonation/sections.ts';
import { GUIDE_SOURCE, fencedBlocks, readDoc } from '../support/docs-source.ts';
import { CUSTOMIZATION_ERRORS } from '../../src/runbook/exchange/customization.ts';
import { IMPERSONATION_ERRORS } from '../../src/runbook/guides/application-impersonation/errors.ts';

const powershellBlocksInSource = fencedBlocks(readDoc(GUIDE_SOURCE)).filter((b) => b.lang === 'powershell');

test('the guide renders with its status notice and sources', async ({ page }) => {
  await page.goto(IMPERSONATION_PAGE.path);
  await expect(page.getByRole('heading', { level: 1, name: 'Enable ApplicationImpersonation' })).toBeVisible();
  const notice = page.getByRole('complementary', { name: /^Status in November 2026/ });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('MC718754');
  await expect(notice).toContainText('MC1227454');
  await expect(
    notice.getByRole('link', { name: 'Role Based Access Control for Applications in Exchange Online' }),
  ).toHaveAttribute('href', 'https://learn.microsoft.com/exchange/permissions-exo/application-rbac');
  await expect(page.getByRole('link', { name: 'Exchange admin center', exact: true })).toHaveAttribute(
    'href',
    'https://admin.exchange.microsoft.com/',
  );
});

test('the procedure headings are all present, in the order of the 2023 how-to', async ({ page }) => {
  await page.goto(IMPERSONATION_PAGE.path);
  const ids = await page.getByRole('heading').evaluateAll((headings) => headings.map((h) => h.id));
  const wanted = PROCEDURE_ORDER.map((section) => IMPERSONATION_SECTIONS[section]);
  expect(ids.filter((id) => wanted.includes(id as never))).toEqual(wanted);
});

test('every PowerShell block has a copy button that puts exactly its command on the clipboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(IMPERSONATION_PAGE.path);
  const blocks = page.getByRole('figure').filter({ has: page.locator('pre[data-language="powershell"]') });
  await expect(blocks).toHaveCount(powershellBlocksInSource.length);
  for (const [i, source] of powershellBlocksInSource.entries()) {
    const block = blocks.nth(i);
    await expect(block.locator('pre')).toHaveText(source.code);
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await block.getByRole('button', { name: 'Copy to clipboard' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(source.code);
  }
});

test('each error text is quoted in the guide section its link points to', async ({ page }) => {
  for (const error of EXCHANGE_ERRORS) {
    const [pathname, anchor] = error.guide.split('#');
    await page.goto(pathname!);
    const sectionText = await page.evaluate((id) => {
      // Starlight wraps each heading in a div; a section runs until the next heading wrapper.
      const start = document.getElementById(id)?.closest('.sl-heading-wrapper') ?? document.getElementById(id);
      let text = '';
      for (
        let el = start?.nextElementSibling;
        el && !el.matches('.sl-heading-wrapper, h2, h3, h4');
        el = el.nextElementSibling
      ) {
        text += `${el.textContent}\n`;
      }
      return text;
    }, anchor!);
    expect(sectionText, `${error.id} under ${error.guide}`).toContain(error.text);
  }
});

test('the errors page lists every known error by guide, quotes every text at its anchor and links it to the guide', async ({
  page,
}) => {
  await page.goto(ERRORS_PAGE);
  await expect(page.getByRole('heading', { level: 1, name: 'Exchange error messages' })).toBeVisible();
  for (const guide of GUIDES)
    await expect(page.getByRole('heading', { level: 2, name: guide.title })).toHaveAttribute('id', guide.slug);
  for (const error of new Set(STEPS.flatMap((step) => step.knownErrors))) {
    await expect(page.getByRole('heading', { level: 3, name: error.title, exact: true }).first()).toHaveAttribute(
      'id',
      error.id,
    );
  }
  const hrefs = await page.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const error of EXCHANGE_ERRORS) {
    // The anchor is the entry's heading, or the quote itself when the heading has another id.
    const anchored = page.locator(`[id="${error.id}"]`);
    await expect(anchored).toHaveCount(1);
    const quote = page
      .locator(`h3[id="${error.id}"] ~ .rb-known-error-text, div[id="${error.id}"]`)
      .getByText(error.text, { exact: true });
    await expect(quote.first()).toBeVisible();
    expect(hrefs, error.id).toContain(error.guide);
  }
  // Starlight cannot see the component's headings; the table of contents is built from the same data.
  await expect(page.locator('starlight-toc a[href="#no-delegating-role-assignment"]').first()).toBeAttached();
});

test('the landing page says what this is and leads to the guide', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Exchange Online Runbook' })).toBeVisible();
  await page.getByRole('link', { name: 'Enable ApplicationImpersonation' }).first().click();
  await expect(page).toHaveURL(IMPERSONATION_PAGE.path);
  await expect(page.getByRole('heading', { level: 1, name: 'Enable ApplicationImpersonation' })).toBeVisible();
});

test('every guide link a step or an error explanation shows lands on an existing section', async ({ request }) => {
  const links = new Set([
    ...STEPS.flatMap((step) => [step.guide, ...step.knownErrors.map((k) => k.guide)]),
    ...[...Object.values(CUSTOMIZATION_ERRORS), ...Object.values(IMPERSONATION_ERRORS)].map((k) => k.guide),
  ]);
  for (const link of links) {
    const [pathname, anchor] = link.split('#');
    const response = await request.get(pathname!);
    expect(response.status(), link).toBe(200);
    if (anchor) expect((await response.text()).includes(`id="${anchor}"`), link).toBe(true);
  }
});
