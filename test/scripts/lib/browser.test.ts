/** The browser for tests, screenshots and Lighthouse is found on Windows, macOS and Linux; CHROMIUM_PATH wins. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBrowser } from '../../../scripts/lib/browser.ts';

const host = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[]) => ({
  platform,
  env,
  exists: (f: string) => files.includes(f),
});

test('Windows: Chrome where installed, else the Edge every Windows 10 and 11 has', () => {
  const env = {
    ProgramFiles: 'C:\\Program Files',
    'ProgramFiles(x86)': 'C:\\Program Files (x86)',
    LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
  };
  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
  const userChrome = 'C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
  assert.equal(findBrowser(host('win32', env, [edge])), edge);
  assert.equal(findBrowser(host('win32', env, [edge, userChrome])), userChrome);
});

test('macOS: Chrome, Chromium or Edge from /Applications', () => {
  const edge = '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
  assert.equal(findBrowser(host('darwin', {}, [edge])), edge);
  assert.equal(
    findBrowser(host('darwin', {}, [edge, '/Applications/Chromium.app/Contents/MacOS/Chromium'])),
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  );
});

test("Linux: Debian's chromium first; nothing found is undefined; CHROMIUM_PATH is used as given", () => {
  assert.equal(findBrowser(host('linux', {}, ['/usr/bin/chromium-browser', '/usr/bin/chromium'])), '/usr/bin/chromium');
  assert.equal(findBrowser(host('linux', {}, [])), undefined);
  assert.equal(findBrowser(host('win32', { CHROMIUM_PATH: 'D:\\chrome\\chrome.exe' }, [])), 'D:\\chrome\\chrome.exe');
});
