/**
 * Layout a new admin notices: verdicts as tall as what they say, buttons clear of the wait box's dashed border,
 * titles that wrap between words on a phone, the mobile menu out of the way after sign-in, a landing page that leads
 * a 2026 admin to RBAC for Applications first, and a table of contents that follows the section being read.
 */
import type { Locator, Page } from '@playwright/test';
import { CONTOSO, expect, GUIDE, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

const RBAC_GUIDE = '/guides/rbac-for-applications/';

/** For each word of `locator`'s text, how many line boxes it spans (1 = not broken inside the word). */
async function linesPerWord(locator: Locator): Promise<Record<string, number>> {
  return locator.evaluate((el) => {
    const text = el.textContent ?? '';
    const spans: Record<string, number> = {};
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    while (walker.nextNode()) nodes.push(walker.currentNode as Text);
    for (const match of text.matchAll(/\S+/g)) {
      // Map the word's offsets in the element's text onto its text nodes (a <wbr> splits a word in two nodes).
      const range = document.createRange();
      let offset = 0;
      for (const node of nodes) {
        const end = offset + node.length;
        if (match.index >= offset && match.index < end) range.setStart(node, match.index - offset);
        if (match.index + match[0].length > offset && match.index + match[0].length <= end)
          range.setEnd(node, match.index + match[0].length - offset);
        offset = end;
      }
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      spans[match[0]] = tops.size;
    }
    return spans;
  });
}

test.beforeEach(async ({ request }) => {
  await resetSandbox(request, CONTOSO);
});

test('a short verdict is as tall as its text: no empty band under it', async ({ page }) => {
  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const verdict = stepRegion(page, 'check-impersonation-role').getByText(/^OK: /);
  await expect(verdict).toBeVisible();
  // The content box against the line boxes the text fills (lines x line-height): the glyphs' own box would count the
  // half-leading above the first and below the last line as a band, which it is not.
  const gap = await verdict.evaluate((el) => {
    const style = getComputedStyle(el);
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
    const content = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return content - lines.size * parseFloat(style.lineHeight);
  });
  expect(gap, 'px of empty space under the verdict text').toBeLessThan(4);
});

test('while waiting, the buttons sit inside the dashed box with room to spare', async ({ page, request }) => {
  test.setTimeout(60_000);
  const { accessToken, exchangeToken } = await (
    await request.post('/api/sandbox/sign-in', { data: { user: CONTOSO } })
  ).json();
  await request.post('/api/runs', {
    headers: { Authorization: `Bearer ${accessToken}`, 'X-Exchange-Token': exchangeToken },
    data: { step: 'enable-customization', params: {} },
  });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(GUIDE);
    if (width === 1280) await signInSandbox(page, CONTOSO);
    const check = stepRegion(page, 'check-dehydrated');
    if (width === 1280) await check.getByRole('button', { name: 'Run this step' }).click();
    const stop = check.getByRole('button', { name: 'Stop waiting' });
    await expect(stop).toBeVisible({ timeout: 10_000 });
    const box = (await check.locator('[data-wait]').boundingBox())!;
    const button = (await stop.boundingBox())!;
    expect(button.y + button.height, `${width} px: room under the button`).toBeLessThanOrEqual(box.y + box.height - 8);
    expect(button.x, `${width} px: room left of the button`).toBeGreaterThanOrEqual(box.x + 8);
  }
  await stepRegion(page, 'check-dehydrated').getByRole('button', { name: 'Stop waiting' }).click();
  await expect(stepRegion(page, 'check-dehydrated').getByRole('status')).toHaveText('Stopped');
});

test('on a phone, titles wrap between words, never inside "ApplicationImpersonation"', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(GUIDE);
  const title = page.getByRole('heading', { level: 1, name: 'Enable ApplicationImpersonation' });
  const words = await linesPerWord(title);
  expect(
    words.ApplicationImpersonation,
    'the long word breaks only between Application and Impersonation',
  ).toBeLessThanOrEqual(2);
  const lines = await title.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()]
      .filter((r) => r.width > 0)
      .map((r) => ({ left: Math.round(r.left), top: Math.round(r.top) }));
  });
  // The first fragment of each line starts at the heading's left edge: no line begins with the rest of a word.
  const firstOfLine = [...new Map([...lines].reverse().map((r) => [r.top, r.left])).values()];
  expect(new Set(firstOfLine).size, `line starts: ${JSON.stringify(lines)}`).toBe(1);
  const text = await title.evaluate((el) => el.innerHTML);
  expect(text).toMatch(/Application<wbr[^>]*>Impersonation/);
  for (const step of await page.locator('.rb-step-title').all()) {
    for (const [word, spans] of Object.entries(await linesPerWord(step))) {
      if (!/[a-z][A-Z]/.test(word)) expect(spans, `"${word}" in "${await step.textContent()}"`).toBe(1);
    }
  }
});

test('signing in from the mobile menu closes the menu and leaves focus on its button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(GUIDE);
  const menuButton = page.getByRole('button', { name: 'Menu' });
  await menuButton.click();
  const menu = page.locator('#starlight__sidebar');
  await menu.getByRole('button', { name: 'Sign in', exact: true }).click();
  await menu.getByRole('button', { name: new RegExp(CONTOSO) }).click();
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();
  await expect(stepRegion(page, 'check-impersonation-role').getByText(/^OK: /)).toBeVisible();
});

test('the landing page leads to RBAC for Applications first and says where the 2023 procedure fits', async ({
  page,
}) => {
  await page.goto('/');
  const actions = page.getByRole('main').getByRole('link');
  await expect(actions.first()).toHaveText('RBAC for Applications');
  await expect(page.getByRole('heading', { name: 'Which guide do you need?' })).toBeVisible();
  await expect(
    page.getByText(/Giving an application access to mailboxes in Exchange Online today\? Start with/),
  ).toBeVisible();
  await expect(page.getByText(/reproduces the 2023 procedure/)).toBeVisible();
  await expect(page.getByText(/removed the\s+role from February 2025/)).toBeVisible();
});

/** The table of contents link marked as the section being read. */
const currentSection = (page: Page) => page.getByRole('complementary').locator('starlight-toc a[aria-current="true"]');

test('the table of contents highlights the section being read, step cards included', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(RBAC_GUIDE);
  await expect(currentSection(page)).toHaveText('Overview');
  // Scroll so a step card, not its section heading, fills the reading area.
  for (const [step, section] of [
    ['create-management-scope', 'Limit the mailboxes with a management scope'],
    ['create-service-principal', 'Register the application in Exchange'],
  ] as const) {
    await stepRegion(page, step)
      .locator('.rb-code')
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect(currentSection(page)).toHaveText(section);
  }
  // Reading on with the mouse wheel from a section's heading through its (tall) step card.
  await page
    .getByRole('heading', { name: 'Limit the mailboxes with a management scope' })
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.mouse.move(640, 450);
  const card = stepRegion(page, 'create-management-scope');
  while ((await card.boundingBox())!.y + (await card.boundingBox())!.height > 300) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(60);
  }
  await expect(currentSection(page)).toHaveText('Limit the mailboxes with a management scope');
});
