/**
 * The Chromium-based browser the browser tests, the screenshots and Lighthouse drive: CHROMIUM_PATH when set, else
 * the usual install locations: Debian's /usr/bin/chromium (CI) and the other Linux packages, Chrome, Chromium or Edge
 * on macOS, Chrome or Edge on Windows (Edge comes with Windows 10 and 11). `npx playwright install` is never needed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** What the search depends on, injectable so tests can stand in for another platform. */
export interface BrowserSearchHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  exists(file: string): boolean;
}

/** Command-line switches for a quiet, offline, headless-friendly browser. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The places to look, in order, for `host`'s platform. */
function browserCandidates(host: BrowserSearchHost): string[] {
  if (host.platform === 'win32') {
    const join = path.win32.join.bind(path.win32);
    const roots = [
      host.env.ProgramFiles ?? 'C:\\Program Files',
      host.env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)',
      host.env.LOCALAPPDATA,
    ].filter((dir): dir is string => Boolean(dir));
    return [
      ...roots.map((root) => join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      ...roots.map((root) => join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
    ];
  }
  if (host.platform === 'darwin') {
    return ['Google Chrome', 'Chromium', 'Microsoft Edge'].map(
      (app) => `/Applications/${app}.app/Contents/MacOS/${app}`,
    );
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];
}

/** The browser executable, or undefined when none was found (CHROMIUM_PATH is used as given). */
export function findBrowser(
  host: BrowserSearchHost = { platform: process.platform, env: process.env, exists: existsSync },
): string | undefined {
  if (host.env.CHROMIUM_PATH) return host.env.CHROMIUM_PATH;
  return browserCandidates(host).find((file) => host.exists(file));
}
