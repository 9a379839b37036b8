/**
 * `npm run screenshots`: drives the built site in sandbox mode with Playwright (the machine's Chromium) through the
 * seed flow, the RBAC for Applications flow and the EWS allow-list flow, and writes light and dark PNGs into
 * public/screenshots/, which the guides and the README show. Builds the site first when dist/ is missing. Port:
 * SCREENSHOTS_PORT (default 4395).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from '@playwright/test';
import { BROWSER_ARGS, findBrowser } from './lib/browser.ts';
import { runTool } from './lib/spawn.ts';

const port = Number(process.env.SCREENSHOTS_PORT ?? 4395);
const origin = `http://127.0.0.1:${port}`;
const outDir = path.resolve('public/screenshots');
const GUIDE = `${origin}/guides/application-impersonation/`;
const CONTOSO = 'admin@contoso.onmicrosoft.com';
const STEPS = [
  'check-impersonation-role',
  'create-role-group',
  'enable-customization',
  'check-dehydrated',
  'remove-role-group',
];

const RBAC_GUIDE = `${origin}/guides/rbac-for-applications/`;
const FABRIKAM = 'admin@fabrikam.onmicrosoft.com';
const EWS_GUIDE = `${origin}/guides/keep-ews-working/`;

/** Every screenshot the guides and README may reference, without the -light/-dark suffix. */
export const SCREENSHOTS = [
  'guide-signed-out',
  'sign-in-picker',
  ...STEPS.map((id) => `step-${id}`),
  'error-dehydrated',
  'confirm-dialog',
  'waiting-dehydrated',
  'success',
  'checklist',
  'rbac-object-id-error',
  'rbac-filter-error',
  'rbac-authorization',
  'ews-read-policy',
  'ews-allow-verdict',
  'ews-mailboxes',
] as const;

/**
 * An accessible-name pattern for a picker entry: anchored, so admin@fabrikam does not also match globaladmin@fabrikam.
 */
function startsWith(upn: string): RegExp {
  return new RegExp(`^${upn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** Starts the companion in sandbox mode with short delays (long enough to photograph the wait) and no run history. */
async function startCompanion(dataDir: string) {
  const child = spawn(process.execPath, ['server/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      RUNBOOK_DATA_DIR: dataDir,
      RUNBOOK_CUSTOMIZATION_DELAY: '12',
      RUNBOOK_PROPAGATION_DELAY: '2',
    },
  });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${origin}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the companion did not answer on ${origin} within 10 s`);
}

/** Photographs an element, or the page (optionally a region of it). */
async function shoot(
  target: Locator | Page,
  name: string,
  theme: string,
  clip?: { x: number; y: number; width: number; height: number },
): Promise<void> {
  const file = path.join(outDir, `${name}-${theme}.png`);
  const options = { path: file, animations: 'disabled', caret: 'hide' } as const;
  if ('goto' in target) await target.screenshot({ ...options, ...(clip && { clip }) });
  else {
    await target.scrollIntoViewIfNeeded();
    // Starlight's fixed header would cover the top of a tall element once it is scrolled into view.
    await target.screenshot({ ...options, style: 'header.header { visibility: hidden !important; }' });
  }
  console.log(`  ${path.relative(process.cwd(), file)}`);
}

/** A browser page in `theme`, at the size every screenshot is taken at. */
async function openPage(theme: 'light' | 'dark') {
  const browser = await chromium.launch({
    executablePath: findBrowser(),
    args: BROWSER_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    colorScheme: theme,
  });
  await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  return { browser, page: await context.newPage() };
}

/** One pass through the seed flow in one theme. */
async function capture(theme: 'light' | 'dark'): Promise<void> {
  const { browser, page } = await openPage(theme);
  const step = (id: string) => page.locator(`#run-${id}`);
  const banner = page.getByRole('banner');

  await page.goto(GUIDE);
  await banner.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await shoot(page, 'guide-signed-out', theme);

  await banner.getByRole('button', { name: 'Sign in', exact: true }).click();
  await banner.getByRole('button', { name: startsWith(CONTOSO) }).waitFor();
  await shoot(page, 'sign-in-picker', theme, { x: 560, y: 0, width: 720, height: 320 });
  await banner.getByRole('button', { name: startsWith(CONTOSO) }).click();
  await banner.locator('[data-badge]').waitFor();

  for (const id of STEPS) {
    await step(id).locator('[data-verdict][data-state]').waitFor();
    await shoot(step(id), `step-${id}`, theme);
  }

  const create = step('create-role-group');
  await create.getByRole('button', { name: 'Run this step' }).click();
  await create.getByRole('status').filter({ hasText: 'Failed' }).waitFor();
  await shoot(create, 'error-dehydrated', theme);

  const enable = step('enable-customization');
  await enable.getByRole('button', { name: 'Run this step' }).click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, 'confirm-dialog', theme);
  await page.getByRole('dialog').getByRole('button', { name: 'Enable customization' }).click();
  await enable.getByRole('status').filter({ hasText: 'Succeeded' }).waitFor();

  const check = step('check-dehydrated');
  await check.getByRole('button', { name: 'Run this step' }).click();
  await check.getByRole('status').filter({ hasText: 'Waiting' }).waitFor();
  await page.waitForTimeout(3_000);
  await shoot(check, 'waiting-dehydrated', theme);
  await check.getByRole('status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 60_000 });

  await create.locator('[data-verdict][data-state="needed"]').waitFor();
  await create.getByRole('button', { name: 'Run this step' }).click();
  await create.getByRole('status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 60_000 });
  await create.locator('[data-verdict][data-state="done"]').waitFor();
  await shoot(create, 'success', theme);

  await shoot(page.locator('runbook-checklist'), 'checklist', theme);
  await browser.close();
}

/** The RBAC for Applications guide on fabrikam: the object id mistake, a filter refused as typed, the verification. */
async function captureRbac(theme: 'light' | 'dark'): Promise<void> {
  const { browser, page } = await openPage(theme);
  const step = (id: string) => page.locator(`#run-${id}`);
  const banner = page.getByRole('banner');
  await page.goto(RBAC_GUIDE);
  await banner.getByRole('button', { name: 'Sign in', exact: true }).click();
  await banner.getByRole('button', { name: startsWith(FABRIKAM) }).click();
  await banner.locator('[data-badge]').waitFor();

  /** Fills a step's fields, leaves the last one (its change event probes) and runs the step until `status`. */
  const run = async (id: string, fields: Record<string, string>, status: string) => {
    for (const [label, value] of Object.entries(fields)) await step(id).getByLabel(label, { exact: true }).fill(value);
    await step(id).getByLabel(Object.keys(fields).at(-1)!, { exact: true }).press('Tab');
    await step(id).locator('[data-verdict][data-state]').waitFor();
    await step(id).getByRole('button', { name: 'Run this step' }).click();
    await step(id).getByRole('status').filter({ hasText: status }).waitFor({ timeout: 30_000 });
  };
  const app = {
    'Application (client) ID': '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93',
    'Display name': 'Fabrikam Mail Archiver',
  };
  await run('create-service-principal', { ...app, 'Object ID': 'e4c07a91-2f5b-4d38-a6e1-93b8c0d2f715' }, 'Failed');
  await shoot(step('create-service-principal'), 'rbac-object-id-error', theme);
  await run('create-service-principal', { ...app, 'Object ID': 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64' }, 'Succeeded');

  const scope = step('create-management-scope');
  await scope.getByLabel('Name', { exact: true }).fill('EWS-Archive mailboxes');
  await scope.getByLabel('Filter', { exact: true }).fill("CustomAttribute1 -eq 'EWS-Archive");
  await scope.getByText(/unbalanced quote/).waitFor();
  await shoot(scope, 'rbac-filter-error', theme);
  await run('create-management-scope', { Filter: "CustomAttribute1 -eq 'EWS-Archive'" }, 'Succeeded');
  // The application id and the scope name carry forward from the steps above.
  await run('assign-application-role', { Scope: 'EWS-Archive mailboxes' }, 'Succeeded');
  await run('test-app-authorization', { 'Application (client) ID': app['Application (client) ID'] }, 'Succeeded');
  await shoot(step('test-app-authorization'), 'rbac-authorization', theme);
  await browser.close();
}

/** The EWS guide on fabrikam: the policy read, the allow step's tenant-wide verdict, the mailbox check. */
async function captureEws(theme: 'light' | 'dark'): Promise<void> {
  const { browser, page } = await openPage(theme);
  const step = (id: string) => page.locator(`#run-${id}`);
  const banner = page.getByRole('banner');
  await page.goto(EWS_GUIDE);
  await banner.getByRole('button', { name: 'Sign in', exact: true }).click();
  await banner.getByRole('button', { name: startsWith(FABRIKAM) }).click();
  await banner.locator('[data-badge]').waitFor();
  const archiver = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';

  const read = step('read-ews-policy');
  await read.getByLabel('Application (client) ID', { exact: true }).fill(archiver);
  await read.locator('[data-verdict][data-state="needed"]').waitFor();
  await read.getByRole('button', { name: 'Run this step' }).click();
  await read.getByRole('status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 30_000 });
  await shoot(read, 'ews-read-policy', theme);

  const allow = step('allow-ews-application');
  await allow.getByRole('button', { name: "Use the sandbox's values" }).click();
  await allow.locator('[data-verdict][data-state="needed"]').waitFor();
  // Taller than the usual viewport with its three fields: make room, so the verdict is in the picture.
  await page.setViewportSize({ width: 1280, height: 1200 });
  await shoot(allow, 'ews-allow-verdict', theme);
  await page.setViewportSize({ width: 1280, height: 860 });

  const mailboxes = step('check-ews-mailboxes');
  await mailboxes.getByRole('button', { name: "Use the sandbox's values" }).click();
  await mailboxes.locator('[data-verdict][data-state="blocked"]').waitFor();
  await mailboxes.getByRole('button', { name: 'Run this step' }).click();
  await mailboxes.getByRole('status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 30_000 });
  await shoot(mailboxes, 'ews-mailboxes', theme);
  await browser.close();
}

if (!existsSync('dist/index.html')) {
  const build = runTool('astro', ['build'], { cwd: process.cwd() });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
mkdirSync(outDir, { recursive: true });
for (const theme of ['light', 'dark'] as const) {
  console.log(`${theme}:`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'runbook-screenshots-'));
  const companion = await startCompanion(dataDir);
  try {
    await capture(theme);
    await captureRbac(theme);
    await captureEws(theme);
  } finally {
    companion.kill();
    await new Promise((resolve) => companion.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
