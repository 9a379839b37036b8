/** Site-wide checks: no internal link leads nowhere, and the main pages pass axe-core in both themes. */
import { ERRORS_PAGE } from '../../src/runbook/core/guide.ts';
import { IMPERSONATION_PAGE } from '../../src/runbook/guides/application-impersonation/sections.ts';
import { expect, expectNoAxeViolations, test } from './support.ts';

test('a missing page answers 404, so the link check below can fail', async ({ request }) => {
  expect((await request.get('/guides/no-such-guide/')).status()).toBe(404);
});

test('every internal link from every page resolves, anchors included', async ({ page, request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const queue = ['/'];
  const visited = new Set<string>();
  const broken: string[] = [];
  while (queue.length > 0) {
    const pathname = queue.shift()!;
    if (visited.has(pathname)) continue;
    visited.add(pathname);
    const response = await page.goto(pathname);
    if (response?.status() !== 200) {
      broken.push(`${pathname} -> ${response?.status()}`);
      continue;
    }
    const hrefs = await page.getByRole('link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== origin) continue;
      if (url.hash) await expectAnchor(url, pathname);
      if (!visited.has(url.pathname)) queue.push(url.pathname);
    }
  }
  expect(broken).toEqual([]);
  expect([...visited]).toEqual(expect.arrayContaining(['/', IMPERSONATION_PAGE.path, ERRORS_PAGE]));

  /** Fails the test when the page behind `url` has no element with the fragment's id. */
  async function expectAnchor(url: URL, from: string): Promise<void> {
    const html = await (await request.get(url.pathname)).text();
    const id = decodeURIComponent(url.hash.slice(1));
    expect(html.includes(`id="${id}"`), `${from} links to ${url.pathname}${url.hash}, which has no such id`).toBe(true);
  }
});

for (const theme of ['light', 'dark'] as const) {
  for (const pathname of ['/', IMPERSONATION_PAGE.path, '/guides/rbac-for-applications/', ERRORS_PAGE]) {
    test(`axe-core finds no violations on ${pathname} in the ${theme} theme`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.goto(pathname);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectNoAxeViolations(page, `${theme} theme, nothing clicked`);
    });
  }
}
