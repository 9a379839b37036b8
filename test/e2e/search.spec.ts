/**
 * The search index holds the guides' words: a result's excerpt is prose or PowerShell, never the step cards'
 * controls ("Sign in to see", "Run this step", "PowerShell Copy") or code-frame labels ("Terminal window").
 */
import { expect, GUIDE, test } from './support.ts';

const CHROME =
  /Sign in to see|Sign in to check|Run this step|PowerShell\s*Copy|Copy to clipboard|Terminal window|To run this step from this page|Download transcript|Notify me/;

for (const query of ['IsDehydrated', 'role group', 'service principal', 'management scope']) {
  test(`searching "${query}" shows excerpts of the guides' prose, not of their controls`, async ({ page }) => {
    await page.goto(GUIDE);
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('textbox', { name: 'Search' }).fill(query);
    const excerpts = dialog.locator('.pagefind-ui__result-excerpt');
    await expect(excerpts.first()).toBeVisible();
    const texts = await excerpts.allInnerTexts();
    expect(texts.length).toBeGreaterThan(1);
    expect(
      texts.filter((t) => CHROME.test(t)),
      `excerpts for "${query}" that quote controls`,
    ).toEqual([]);
    expect(
      texts.some((t) => t.toLowerCase().includes(query.toLowerCase().split(' ')[0]!)),
      'the excerpts quote the query',
    ).toBe(true);
  });
}
