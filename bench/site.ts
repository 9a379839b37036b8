/**
 * Measures the built site: per page, the gzip bytes of the HTML and of the JavaScript a browser loads before any
 * interaction (module scripts and their static imports), and the JavaScript sign-in can add (chunks reached only
 * through dynamic `import()` from the sign-in script: MSAL for Entra); and Lighthouse's performance and accessibility
 * scores for the guide page, with the machine's Chromium (scripts/lib/browser.ts), served by the companion itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { findBrowser } from '../scripts/lib/browser.ts';
import { GUIDES } from '../src/runbook/catalog.ts';

export interface PageBytes {
  page: string;
  url: string;
  htmlGzip: number;
  jsGzip: number;
  jsFiles: number;
}

export interface SiteBytes {
  pages: PageBytes[];
  /** JS sign-in may add (dynamic chunks from the sign-in script), gzip bytes. */
  signInJsGzip: number;
  signInJsFiles: string[];
}

/** The pages the table reports: the landing page, the errors reference and every guide of the catalog (GUIDES). */
export const PAGES: Array<[name: string, url: string]> = [
  ['landing', '/'],
  ['errors reference', '/reference/errors/'],
  ...GUIDES.map((guide): [string, string] => [`guide "${guide.title}"`, guide.path]),
];

const MODULE_SRC = /<script[^>]*type="module"[^>]*src="([^"]+)"/g;
const INLINE_MODULE = /<script[^>]*type="module"(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g;
// Minified ES modules: `import{a}from"./x.js"`, `import"./x.js"`, `export*from"./x.js"`; never `import(` (dynamic).
const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'`]([^"'`]+\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`$]+\.js)["'`]\s*\)/g;

/** Gzip size at the default level, as a server would send it. */
const gz = (bytes: Buffer | string) => gzipSync(bytes).length;

/** The file in `dist` for a URL path. */
function fileOf(dist: string, url: string): string {
  return path.join(dist, url.endsWith('/') ? `${url}index.html` : url);
}

/** URL paths imported by the module at `url`, statically or dynamically. */
function importsOf(dist: string, url: string, pattern: RegExp): string[] {
  const source = readFileSync(fileOf(dist, url), 'utf8');
  return [...source.matchAll(pattern)].map((m) => new URL(m[1]!, `http://site${url}`).pathname);
}

/** `roots` and everything they import statically. */
function staticClosure(dist: string, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const url = todo.pop()!;
    if (seen.has(url) || !existsSync(fileOf(dist, url))) continue;
    seen.add(url);
    todo.push(...importsOf(dist, url, STATIC_IMPORT));
  }
  return seen;
}

/** Sizes of the pages in `dist` and of what sign-in adds. */
export function measureSiteBytes(dist: string): SiteBytes {
  const pages: PageBytes[] = [];
  const signInRoots = new Set<string>();
  const loaded = new Set<string>();
  for (const [page, url] of PAGES) {
    const file = fileOf(dist, url);
    if (!existsSync(file)) continue;
    const html = readFileSync(file, 'utf8');
    const entries = [...html.matchAll(MODULE_SRC)].map((m) => m[1]!);
    for (const [, body] of html.matchAll(INLINE_MODULE))
      entries.push(...[...body!.matchAll(STATIC_IMPORT)].map((m) => m[1]!));
    const js = staticClosure(dist, entries);
    js.forEach((u) => loaded.add(u));
    entries.filter((u) => /\/SignIn\./.test(u)).forEach((u) => signInRoots.add(u));
    pages.push({
      page,
      url,
      htmlGzip: gz(html),
      jsGzip: [...js].reduce((n, u) => n + gz(readFileSync(fileOf(dist, u))), 0),
      jsFiles: js.size,
    });
  }
  // Everything the sign-in script and its static imports can pull in on demand, minus what pages already loaded.
  const added = new Set<string>();
  const todo = [...staticClosure(dist, [...signInRoots])].flatMap((u) => importsOf(dist, u, DYNAMIC_IMPORT));
  while (todo.length > 0) {
    for (const u of staticClosure(dist, [todo.pop()!])) {
      if (loaded.has(u) || added.has(u)) continue;
      added.add(u);
      todo.push(...importsOf(dist, u, DYNAMIC_IMPORT));
    }
  }
  const signInJsFiles = [...added].sort();
  return {
    pages,
    signInJsFiles,
    signInJsGzip: signInJsFiles.reduce((n, u) => n + gz(readFileSync(fileOf(dist, u))), 0),
  };
}

export interface LighthouseResult {
  performance: number[];
  accessibility: number[];
  /** Set when Lighthouse could not run here, with the reason. */
  failure?: string;
}

const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

/** Lighthouse (default mobile settings, simulated throttling) on `url`, `runs` times, each in a fresh Chromium. */
export async function runLighthouse(url: string, runs: number): Promise<LighthouseResult> {
  const result: LighthouseResult = { performance: [], accessibility: [] };
  const chromePath = findBrowser();
  if (!chromePath || !existsSync(chromePath))
    return {
      ...result,
      failure: `no Chromium, Chrome or Edge found${chromePath ? ` at ${chromePath}` : ''} (set CHROMIUM_PATH)`,
    };
  try {
    for (let i = 0; i < runs; i++) {
      const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS });
      try {
        const r = await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility'],
        });
        const lhr = r?.lhr;
        if (!lhr) throw new Error('Lighthouse returned no report');
        if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
        result.performance.push(Math.round((lhr.categories.performance?.score ?? NaN) * 100));
        result.accessibility.push(Math.round((lhr.categories.accessibility?.score ?? NaN) * 100));
      } finally {
        chrome.kill();
      }
    }
  } catch (err) {
    result.failure = (err as Error).message.split('\n')[0];
  }
  return result;
}
