/**
 * Prints what a built page ships before any interaction, in gzip bytes: its HTML, and the JavaScript it loads
 * (module scripts, modulepreloads, inline scripts, and the chunks those statically import). Dynamic imports, such as
 * Pagefind's search UI (loaded when the reader goes to search, src/components/overrides/Search.astro) or a step's
 * controller loaded on sign-in, are not counted against the budget: they wait for interaction. Their size is printed
 * on its own line. What Chromium really fetches in the 12 s after load is measured by test/e2e/performance.spec.ts.
 *
 * Usage after `astro build`: npx node scripts/page-weight.ts [url-path ...] (default: every page). Exits 1 when a
 * page's JS before interaction exceeds its budget.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const distDir = path.resolve(import.meta.dirname, '..', 'dist');
const JS_BUDGET_BYTES = 12 * 1024;
// The sign-in popup's landing page exists to run MSAL's redirect bridge; nobody reads it, and it opens only on a click.
const PAGE_BUDGETS: Record<string, number> = { '/redirect-bridge/': 30 * 1024 };

/** Gzipped size of a text, at the level servers commonly use. */
function gzipBytes(text: string): number {
  return gzipSync(Buffer.from(text), { level: 9 }).length;
}

/** The built HTML file that serves a URL path like `/guides/x/`. */
function htmlFileFor(urlPath: string): string {
  const file = path.join(distDir, urlPath, urlPath.endsWith('.html') ? '' : 'index.html');
  if (!existsSync(file)) throw new Error(`No built page for ${urlPath} (looked for ${file}); run astro build first.`);
  return file;
}

/** Every built page's URL path, e.g. `/guides/x/`. */
function builtPages(): string[] {
  return (
    readdirSync(distDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('index.html'))
      // URL paths use `/` also on Windows, where readdirSync gives `guides\x\index.html`.
      .map((file) => `/${path.dirname(file).split(path.sep).join('/')}/`.replace(/^\/\.\/$/, '/'))
      .sort()
  );
}

/** Adds a JS file and, recursively, the files it imports statically (`import ... from "./x.js"`, `import "./x.js"`). */
function collectModule(file: string, seen: Map<string, number>): void {
  if (seen.has(file)) return;
  const code = readFileSync(file, 'utf8');
  seen.set(file, gzipBytes(code));
  for (const m of code.matchAll(/\bimport\s*(?:[\w${}*,\s]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
    collectModule(path.resolve(path.dirname(file), m[1]!), seen);
  }
}

/**
 * Gzip bytes of the chunks `files` import dynamically (`import("./x.js")`), with their own imports, not yet counted.
 */
function onDemandBytes(files: Map<string, number>): number {
  const later = new Map<string, number>();
  for (const file of files.keys()) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bimport\(\s*[`'"]([^`'"]+\.js)[`'"]\s*\)/g)) {
      const target = path.resolve(path.dirname(file), m[1]!);
      if (existsSync(target)) collectModule(target, later);
    }
  }
  return [...later].filter(([file]) => !files.has(file)).reduce((sum, [, bytes]) => sum + bytes, 0);
}

/** JS a page loads before interaction: external module files (with their static imports) and inline scripts. */
function pageScripts(html: string): { files: Map<string, number>; inlineBytes: number; inlineCount: number } {
  const files = new Map<string, number>();
  for (const m of html.matchAll(
    /<script\b[^>]*\bsrc="([^"]+)"[^>]*>|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"[^>]*>/g,
  )) {
    const src = (m[1] ?? m[2])!;
    if (src.startsWith('/')) collectModule(path.join(distDir, src), files);
  }
  const inline = [
    ...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g),
  ]
    .map((m) => m[1]!)
    .filter((code) => code.trim() !== '');
  // Inline scripts travel inside the HTML's one gzip stream, so they are sized together, not one by one.
  return { files, inlineBytes: inline.length ? gzipBytes(inline.join('\n')) : 0, inlineCount: inline.length };
}

const paths = process.argv.slice(2);
let overBudget = false;
for (const urlPath of paths.length > 0 ? paths : builtPages()) {
  const html = readFileSync(htmlFileFor(urlPath), 'utf8');
  const { files, inlineBytes, inlineCount } = pageScripts(html);
  const fileBytes = [...files.values()].reduce((a, b) => a + b, 0);
  const jsBytes = fileBytes + inlineBytes;
  console.log(`${urlPath}`);
  console.log(
    `  HTML                ${gzipBytes(html).toLocaleString('en')} B gzip (${Buffer.byteLength(html).toLocaleString('en')} B raw)`,
  );
  for (const [file, bytes] of files)
    console.log(`  JS ${path.relative(distDir, file).padEnd(60)} ${bytes.toLocaleString('en')} B gzip`);
  console.log(`  JS inline (${inlineCount} scripts)  ${inlineBytes.toLocaleString('en')} B gzip`);
  const budget = PAGE_BUDGETS[urlPath] ?? JS_BUDGET_BYTES;
  console.log(`  JS total            ${jsBytes.toLocaleString('en')} B gzip (budget ${budget.toLocaleString('en')} B)`);
  console.log(
    `  JS on demand        ${onDemandBytes(files).toLocaleString('en')} B gzip (dynamic imports, loaded on interaction or sign-in)`,
  );
  if (jsBytes > budget) {
    console.log(`  OVER BUDGET by ${(jsBytes - budget).toLocaleString('en')} B`);
    overBudget = true;
  }
}
process.exit(overBudget ? 1 : 0);
