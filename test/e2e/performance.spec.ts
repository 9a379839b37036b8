/**
 * What a guide costs before the reader does anything, measured in Chromium as it really fetches it: every script the
 * page loads in the 12 s after `load` (idle-time preloads included), gzip-sized, must stay within 12 kB; Pagefind's
 * search UI loads only when the reader goes to search, and then without a visible delay.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { GUIDES } from '../../src/runbook/catalog.ts';
import { CONTOSO, expect, GUIDE, signInSandbox, stepRegion, test } from './support.ts';

const JS_BUDGET = 12 * 1024;
const SETTLE_MS = 12_000;

/** Records the gzip size of every script the page fetches; `total()` adds the page's inline scripts. */
function scriptMeter(page: Page) {
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      response.body().then(
        (body) => {
          sizes.set(new URL(response.url()).pathname, gzipSync(body).length);
        },
        () => {},
      ),
    );
  });
  return {
    sizes,
    async total(): Promise<number> {
      await Promise.all(pending);
      const inline = await page.evaluate(() =>
        [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent).join('\n'),
      );
      return [...sizes.values()].reduce((a, b) => a + b, 0) + gzipSync(inline).length;
    },
  };
}

// Every guide of the catalog, so a new guide is held to the budget without touching this file.
for (const guide of GUIDES.map((g) => g.path)) {
  test(`${guide} fetches at most 12 kB gzip of JavaScript in the 12 s after load, search UI not included`, async ({
    page,
  }) => {
    const meter = scriptMeter(page);
    await page.goto(guide, { waitUntil: 'load' });
    await page.waitForTimeout(SETTLE_MS);
    const total = await meter.total();
    const list = [...meter.sizes].map(([path, bytes]) => `${path.replace(/^\/_astro\//, '')} ${bytes}`).join(', ');
    test
      .info()
      .annotations.push({ type: `${guide} JS fetched before interaction, gzip`, description: `${total} B: ${list}` });
    console.log(`${guide} JS fetched before interaction (gzip): ${total} B`);
    expect(
      [...meter.sizes.keys()].filter((p) => /ui-core|pagefind/.test(p)),
      'Pagefind is not fetched before anyone searches',
    ).toEqual([]);
    expect(total, `all JS fetched before interaction: ${list}`).toBeLessThanOrEqual(JS_BUDGET);
  });
}

test('Ctrl+K opens search at once, the field takes the typing, and results come from the index', async ({ page }) => {
  await page.goto(GUIDE);
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await expect(dialog).toBeVisible();
  const field = dialog.getByRole('textbox', { name: 'Search' });
  await expect(field).toBeFocused();
  await page.keyboard.type('IsDehydrated');
  await expect(field).toHaveValue('IsDehydrated');
  await expect(dialog.getByRole('link', { name: /Enable ApplicationImpersonation/ }).first()).toBeVisible();
});

test('the search button loads the search UI when focused, before it is even clicked', async ({ page }) => {
  const meter = scriptMeter(page);
  await page.goto(GUIDE);
  const button = page.getByRole('button', { name: 'Search' });
  await button.focus();
  await expect
    .poll(() => [...meter.sizes.keys()].some((p) => /ui-core/.test(p)), { message: 'ui-core fetched on focus' })
    .toBe(true);
  await button.click();
  await expect(page.getByRole('dialog', { name: 'Search' }).getByRole('textbox', { name: 'Search' })).toBeFocused();
});

test('after sign-in the live steps load on demand, and MSAL never loads in sandbox mode', async ({ page }) => {
  const meter = scriptMeter(page);
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  await expect(stepRegion(page, 'check-dehydrated').getByText(/^(Needed|Already done)/)).toBeVisible();
  const total = await meter.total();
  test.info().annotations.push({ type: 'guide page JS after sign-in, gzip', description: `${total} B` });
  expect(
    [...meter.sizes.keys()].some((p) => /step-controller/.test(p)),
    'the step controller came with sign-in',
  ).toBe(true);
  expect(
    [...meter.sizes.keys()].filter((p) => /msal|entra/.test(p)),
    'MSAL never loads in sandbox mode',
  ).toEqual([]);
});
