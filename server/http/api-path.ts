/**
 * One API surface. The routes match exactly (case-sensitive, no trailing slash); any other spelling of a path under
 * `/api` (`/API/health`, `/api/health/`, `//api/runs`, `/%61pi/config`, `/api/../api/x`) is still an API request:
 * it gets the API's headers and guards and answers 404, instead of falling through to the site with the page's
 * headers and no cross-site check.
 */
import path from 'node:path';
import { Router } from 'express';

// `/api` followed by the end or by anything but a name character (`/apiary` would be a page).
const API_PREFIX = /^\/api(?![\w-])/;

/** Decodes percent-escapes until nothing changes (double encoding included), keeping what does not decode. */
function decoded(value: string): string {
  let current = value;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/** True for every spelling of a path under `/api`, however cased, encoded, doubled or dotted. */
export function isApiPath(pathname: string): boolean {
  const normalized = path.posix.normalize(decoded(pathname).replaceAll('\\', '/')).toLowerCase();
  return API_PREFIX.test(normalized);
}

/** A router for API routes: paths match exactly as written (case-sensitive and strict about trailing slashes). */
export function apiRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}
