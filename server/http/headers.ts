/**
 * Security headers on every response. The site's Content-Security-Policy allows exactly the inline scripts the built
 * pages contain (Starlight's theme and sidebar scripts), by SHA-256 hash computed from `dist/` at startup, so no
 * 'unsafe-inline' for scripts. Styles need 'unsafe-inline' (Starlight and Expressive Code use style attributes);
 * Pagefind search needs 'wasm-unsafe-eval'; MSAL talks to (and silently renews in an iframe of) the authority host.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { isApiPath } from './api-path.ts';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** SHA-256 sources for every inline script in the built site's HTML files. */
export function inlineScriptHashes(siteDir: string): string[] {
  const hashes = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(siteDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
  } catch {
    return [];
  }
  for (const file of files) {
    const html = readFileSync(path.join(siteDir, file), 'utf8');
    for (const [, body] of html.matchAll(INLINE_SCRIPT)) {
      if (body) hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
    }
  }
  return [...hashes].sort();
}

/** The site's policy; `authorityOrigin` is the Entra (or test IdP) origin in tenant mode. */
export function siteCsp(scriptHashes: string[], authorityOrigin?: string): string {
  const idp = authorityOrigin ? ` ${authorityOrigin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${idp}`,
    `frame-src ${authorityOrigin ?? "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${idp}`,
    "object-src 'none'",
  ].join('; ');
}

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Sets the common headers; API responses (however the path is spelled) also get `Cache-Control: no-store` and a
 * deny-all policy.
 */
export function securityHeaders(csp: string): RequestHandler {
  return (req, res, next) => {
    const api = isApiPath(req.path);
    res.set({
      'Content-Security-Policy': api ? API_CSP : csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    });
    if (api) res.set('Cache-Control', 'no-store');
    next();
  };
}
