/**
 * `npm run screenshots`: drives the built site in sandbox mode with Playwright (Debian's Chromium) through the seed
 * flow and writes light and dark PNGs into public/screenshots/, which the guide and the README show. Builds the site
 * first when dist/ is missing. Port: SCREENSHOTS_PORT (default 4395).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from '@playwright/test';

const port = Number(process.env.SCREENSHOTS_PORT ?? 4395);
const origin = `http://127.0.0.1:${port}`;
const outDir = path.resolve('public/screenshots');
const GUIDE = `${origin}/guides/application-impersonation/`;
const CONTOSO = 'admin@contoso.onmicrosoft.com';
const STEPS = ['check-impersonation-role', 'create-role-group', 'enable-customization', 'check-dehydrated', 'remove-role-group'];

/** Every screenshot the guide and README may reference, without the -light/-dark suffix. */
export const SCREENSHOTS = ['guide-signed-out', 'sign-in-picker', ...STEPS.map((id) => `step-${id}`), 'error-dehydrated',
  'confirm-dialog', 'waiting-dehydrated', 'success', 'checklist'] as const;

/** Starts the companion in sandbox mode with short delays (long enough to photograph the wait) and no run history. */
async function startCompanion(dataDir: string) {
  const child = spawn(process.execPath, ['server/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), RUNBOOK_DATA_DIR: dataDir, RUNBOOK_CUSTOMIZATION_DELAY: '12', RUNBOOK_PROPAGATION_DELAY: '2' },
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${origin}/api/health`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the companion did not answer on ${origin} within 10 s`);
}

/** Photographs an element, or the page (optionally a region of it). */
async function shoot(target: Locator | Page, name: string, theme: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
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

/** One pass through the seed flow in one theme. */
async function capture(theme: 'light' | 'dark'): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, colorScheme: theme });
  await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  const page = await context.newPage();
  const step = (id: string) => page.locator(`#run-${id}`);
  const banner = page.getByRole('banner');

  await page.goto(GUIDE);
  await banner.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await shoot(page, 'guide-signed-out', theme);

  await banner.getByRole('button', { name: 'Sign in', exact: true }).click();
  await banner.getByRole('button', { name: new RegExp(CONTOSO) }).waitFor();
  await shoot(page, 'sign-in-picker', theme, { x: 560, y: 0, width: 720, height: 320 });
  await banner.getByRole('button', { name: new RegExp(CONTOSO) }).click();
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
  await page.getByRole('dialog').getByRole('button', { name: 'I understand, run it' }).click();
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

if (!existsSync('dist/index.html')) {
  const build = spawnSync('astro', ['build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
mkdirSync(outDir, { recursive: true });
for (const theme of ['light', 'dark'] as const) {
  console.log(`${theme}:`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'runbook-screenshots-'));
  const companion = await startCompanion(dataDir);
  try {
    await capture(theme);
  } finally {
    companion.kill();
    await new Promise((resolve) => companion.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
