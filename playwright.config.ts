import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { BROWSER_ARGS, findBrowser } from './scripts/lib/browser.ts';

const port = Number(process.env.E2E_PORT ?? 4391);

/**
 * Browser tests run the machine's Chromium (Debian's in CI) against the built site served by the companion in sandbox
 * mode.
 */
export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  // One retry under CI only: a test that passes on retry is reported as flaky, not hidden; locally it fails at once.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: findBrowser(),
      args: BROWSER_ARGS,
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // The Node running Playwright, by path: Playwright starts the command through the shell, where `node` might be
    // another.
    command: `"${process.execPath}" server/main.ts`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    // A fresh data folder per run (no run history from earlier runs); sandbox delays of seconds, so the live-step
    // tests wait for IsDehydrated and propagation for real but briefly.
    env: {
      PORT: String(port),
      RUNBOOK_DATA_DIR: mkdtempSync(path.join(tmpdir(), `runbook-e2e-${port}-`)),
      RUNBOOK_CUSTOMIZATION_DELAY: '20',
      RUNBOOK_PROPAGATION_DELAY: '3',
    },
  },
});
