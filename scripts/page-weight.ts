/**
 * Prints what a built page ships before any interaction, in gzip bytes: its HTML, and the JavaScript it loads
 * (module scripts, modulepreloads, inline scripts, and the chunks those statically import). Dynamic imports, such as
 * Pagefind's search UI loaded when the search dialog opens, are not counted: they wait for interaction.
 *
 * Usage after `astro build`: npx node scripts/page-weight.ts [url-path ...] (default: the guide).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const distDir = path.resolve(import.meta.dirname, '..', 'dist');
const JS_BUDGET_BYTES = 35 * 1024;

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

/** Adds a JS file and, recursively, the files it imports statically (`import ... from "./x.js"`, `import "./x.js"`). */
function collectModule(file: string, seen: Map<string, number>): void {
  if (seen.has(file)) return;
  const code = readFileSync(file, 'utf8');
  seen.set(file, gzipBytes(code));
  for (const m of code.matchAll(/\bimport\s*(?:[\w${}*,\s]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
    collectModule(path.resolve(path.dirname(file), m[1]!), seen);
  }
}

/** JS a page loads before interaction: external module files (with their static imports) and inline scripts. */
function pageScripts(html: string): { files: Map<string, number>; inlineBytes: number; inlineCount: number } {
  const files = new Map<string, number>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"[^>]*>/g)) {
    const src = (m[1] ?? m[2])!;
    if (src.startsWith('/')) collectModule(path.join(distDir, src), files);
  }
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1]!)
    .filter((code) => code.trim() !== '');
  return { files, inlineBytes: inline.reduce((sum, code) => sum + gzipBytes(code), 0), inlineCount: inline.length };
}

const paths = process.argv.slice(2);
let overBudget = false;
for (const urlPath of paths.length > 0 ? paths : ['/guides/application-impersonation/']) {
  const html = readFileSync(htmlFileFor(urlPath), 'utf8');
  const { files, inlineBytes, inlineCount } = pageScripts(html);
  const fileBytes = [...files.values()].reduce((a, b) => a + b, 0);
  const jsBytes = fileBytes + inlineBytes;
  console.log(`${urlPath}`);
  console.log(`  HTML                ${gzipBytes(html).toLocaleString('en')} B gzip (${Buffer.byteLength(html).toLocaleString('en')} B raw)`);
  for (const [file, bytes] of files) console.log(`  JS ${path.relative(distDir, file).padEnd(60)} ${bytes.toLocaleString('en')} B gzip`);
  console.log(`  JS inline (${inlineCount} scripts)  ${inlineBytes.toLocaleString('en')} B gzip`);
  console.log(`  JS total            ${jsBytes.toLocaleString('en')} B gzip (budget ${JS_BUDGET_BYTES.toLocaleString('en')} B)`);
  if (jsBytes > JS_BUDGET_BYTES) overBudget = true;
}
process.exit(overBudget ? 1 : 0);
