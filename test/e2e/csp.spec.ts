/**
 * The site's Content-Security-Policy (no 'unsafe-eval', hashed inline scripts) holds on signed-in pages: loading the
 * live steps, validating forms with the steps' zod schemas, probing and previewing report no violation. zod 4's JIT
 * probe (`new Function`) used to be reported on every signed-in page (src/client/zod-config.ts turns the JIT off).
 */
import { CONTOSO, expect, FABRIKAM, GUIDE, resetSandbox, signInSandbox, stepRegion, test } from './support.ts';

declare global {
  interface Window {
    cspViolations: string[];
  }
}

test('no CSP violation is reported on signed-in guide pages', async ({ page, request }) => {
  await resetSandbox(request, CONTOSO);
  await resetSandbox(request, FABRIKAM);
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy|unsafe-eval/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(
        `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });

  await page.goto(GUIDE);
  await signInSandbox(page, CONTOSO);
  const create = stepRegion(page, 'create-role-group');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  // Typing validates with the step's zod schema and re-renders the preview.
  await create.getByLabel('Members').fill('not a upn');
  await create.getByLabel('Members').fill('svc-ews@contoso.onmicrosoft.com');
  await expect(create.getByText(/^Blocked: /)).toBeVisible();
  expect(await page.evaluate(() => window.cspViolations), 'CSP violations on the impersonation guide').toEqual([]);

  await page.goto('/guides/rbac-for-applications/');
  await expect(page.getByRole('banner').locator('[data-badge]')).toContainText(CONTOSO);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await signInSandbox(page, FABRIKAM);
  await expect(stepRegion(page, 'find-impersonation-assignments').getByText(/^OK: /)).toBeVisible();
  const register = stepRegion(page, 'create-service-principal');
  await register.getByLabel('Application (client) ID').fill('not a guid');
  await register.getByLabel('Application (client) ID').fill('3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93');
  await expect(register.getByRole('button', { name: 'Run this step' })).toHaveAccessibleDescription(
    /^Fill in Object ID and Display name/,
  );
  expect(await page.evaluate(() => window.cspViolations), 'CSP violations on the RBAC guide').toEqual([]);
  expect(console, 'CSP messages in the console').toEqual([]);
});
