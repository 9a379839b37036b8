import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4391);

/** Browser tests run Debian's Chromium against the built site served by the companion in sandbox mode. */
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
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node server/main.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    // A fresh data folder per run (no run history from earlier runs); sandbox delays of seconds, so the live-step
    // tests wait for IsDehydrated and propagation for real but briefly.
    env: { PORT: String(port), RUNBOOK_DATA_DIR: mkdtempSync(path.join(tmpdir(), `runbook-e2e-${port}-`)), RUNBOOK_CUSTOMIZATION_DELAY: '20', RUNBOOK_PROPAGATION_DELAY: '3' },
  },
});
