/**
 * Shared pieces of the live-step browser tests: a `test` whose pages must never leave 127.0.0.1 / localhost
 * (asserted after every test), and sandbox helpers that sign in and reset a tenant through the companion's API.
 */
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const GUIDE = '/guides/application-impersonation/';
export const CONTOSO = 'admin@contoso.onmicrosoft.com';
export const FABRIKAM = 'admin@fabrikam.onmicrosoft.com';

/** Every request any page of the test makes is checked: nothing may leave this machine. */
export const test = base.extend<{ offMachine: string[] }>({
  offMachine: [
    async ({ context }, use) => {
      const urls: string[] = [];
      context.on('request', (request) => {
        const { protocol, hostname } = new URL(request.url());
        if ((protocol === 'http:' || protocol === 'https:') && !['127.0.0.1', 'localhost'].includes(hostname))
          urls.push(request.url());
      });
      await use(urls);
      expect(urls, 'requests that left 127.0.0.1 / localhost').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Puts the sandbox tenant of `user` back to its starting state (dehydrated contoso, customized fabrikam). */
export async function resetSandbox(request: APIRequestContext, user: string): Promise<void> {
  const signIn = await request.post('/api/sandbox/sign-in', { data: { user } });
  expect(signIn.status()).toBe(200);
  const { accessToken, exchangeToken } = (await signIn.json()) as { accessToken: string; exchangeToken: string };
  const reset = await request.post('/api/sandbox/reset', {
    headers: { Authorization: `Bearer ${accessToken}`, 'X-Exchange-Token': exchangeToken },
    data: {},
  });
  expect(reset.status()).toBe(200);
}

/** Signs in through the header's picker of sandbox admins. */
export async function signInSandbox(page: Page, user: string): Promise<void> {
  const banner = page.getByRole('banner');
  await banner.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Anchored: admin@fabrikam must not also pick globaladmin@fabrikam.
  await banner.getByRole('button', { name: new RegExp(`^${user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
  await expect(banner.locator('[data-badge]')).toContainText(user);
}

/** The live step `<RunStep id>` as a region named by its title. */
export function stepRegion(page: Page, id: string) {
  return page.locator(`#run-${id}`);
}

/** Asserts axe-core finds no violations on the page as it is now. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  // Nothing is excluded: the search button's keycap and scrolling code blocks are fixed at the source
  // (src/styles/custom.css, Expressive Code's wrap in astro.config.mjs).
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `axe in state "${state}"`,
  ).toEqual([]);
}
