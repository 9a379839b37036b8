/**
 * A first `npm start`: builds the site without Astro's page-by-page log and without framework warnings, then says
 * where to open the runbook, which mode it runs in, who to sign in as, and how to stop it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { tempDataDir } from '../support/server.ts';

const START = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'start.ts');

test(
  'npm start builds quietly, then prints the URL, the mode and the sandbox admins, and no warnings',
  { timeout: 180_000 },
  async () => {
    const child = spawn(process.execPath, [START, '--build'], {
      env: { ...process.env, PORT: '0', RUNBOOK_DATA_DIR: tempDataDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (/Ctrl\+C stops the companion/.test(out)) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
        child.on('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`npm start exited ${code}:\n${out}`));
        });
      });
    } finally {
      child.kill('SIGTERM');
    }
    assert.match(out, /^Building the site/m);
    assert.match(out, /Exchange Online Runbook at http:\/\/127\.0\.0\.1:\d+\/ \(open it in your browser\)/);
    assert.match(out, /Sandbox mode: simulated tenants, no Microsoft account needed/);
    assert.match(out, /admin@contoso\.onmicrosoft\.com \(As in 2023/);
    assert.match(out, /admin@fabrikam\.onmicrosoft\.com \(As in 2026/);
    assert.match(out, /npm start -- --tenant/);
    assert.doesNotMatch(
      out,
      /\bWARN\b|warning|deprecated|generating static routes/i,
      'no framework warnings or build log',
    );
    assert.ok(out.split('\n').length < 15, `a few lines, not a build log:\n${out}`);
  },
);
