/** The companion's public configuration (`GET /api/config`), fetched once per page. */
import type { ConfigResponse } from '../runbook/api.ts';

let pending: Promise<ConfigResponse> | undefined;

/** Loads the configuration; rejects when the companion is not reachable (a later call tries again). */
export function loadConfig(): Promise<ConfigResponse> {
  pending ??= fetch('/api/config', { headers: { Accept: 'application/json' } }).then(async (res) => {
    if (!res.ok) throw new Error(`the companion answered ${res.status} for /api/config`);
    return (await res.json()) as ConfigResponse;
  });
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

/** What to tell the reader when the companion does not answer at this page's own origin, and how to fix it. */
export function companionDown(): string {
  return `The companion is not running: nothing answers at ${location.origin}. Start it with npm start in the runbook's folder, then reload this page.`;
}
