/**
 * The companion's configuration, read once at startup from environment variables and command-line flags.
 * A bad value stops the server with what was received and what was expected, never a silent default.
 */
import path from 'node:path';
import type { Mode } from '../src/runbook/api.ts';
import type { ExecutorName } from './executors/types.ts';

export interface EntraConfig {
  clientId: string;
  /** Authority host, e.g. `https://login.microsoftonline.com` (a test IdP in tests). */
  authorityHost: string;
  /** The authority MSAL signs in against: the single tenant, or `organizations` for several. */
  authority: string;
  knownAuthorities: string[];
  tenantIds: string[];
  /** `aud` the companion accepts on its own tokens. */
  apiAudience: string;
  /** Scope the browser requests for the companion, e.g. `api://companion/access_as_user`. */
  apiScope: string;
}

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  dataDir: string;
  siteDir: string;
  executor: ExecutorName;
  /** Extra origins allowed to call the API (besides the companion's own). */
  allowedOrigins: string[];
  /** Extra `Host` values accepted (besides 127.0.0.1, localhost and [::1] on the listening port). */
  allowedHosts: string[];
  /** Requests per minute per signed-in admin before 429. */
  rateLimitPerMinute: number;
  /** Lifetime of sandbox tokens. */
  sandboxTokenMinutes: number;
  entra?: EntraConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENTRA_HOST = 'https://login.microsoftonline.com';

/** Reads the configuration from `env` and `argv`; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const problems: string[] = [];
  const fail = (name: string, received: string | undefined, expected: string) =>
    problems.push(`${name}: received ${received === undefined ? 'nothing' : JSON.stringify(received)}, expected ${expected}`);

  const mode = readMode(env, argv, fail);
  const port = readInteger('PORT', env.PORT, 4321, 0, 65535, fail);
  const executor = readChoice('RUNBOOK_EXECUTOR', env.RUNBOOK_EXECUTOR, ['sandbox', 'powershell'] as const,
    mode === 'tenant' ? 'powershell' : 'sandbox', fail);
  const config: Config = {
    mode,
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: path.resolve(env.RUNBOOK_DATA_DIR || '.runbook'),
    siteDir: path.resolve(import.meta.dirname, '..', 'dist'),
    executor,
    allowedOrigins: readList(env.RUNBOOK_ALLOWED_ORIGINS).filter((o) => checkOrigin(o, fail)),
    allowedHosts: readList(env.RUNBOOK_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    rateLimitPerMinute: readInteger('RUNBOOK_RATE_LIMIT', env.RUNBOOK_RATE_LIMIT, 600, 1, 1_000_000, fail),
    sandboxTokenMinutes: readInteger('RUNBOOK_SANDBOX_TOKEN_MINUTES', env.RUNBOOK_SANDBOX_TOKEN_MINUTES, 60, 1, 1440, fail),
  };
  if (mode === 'tenant') config.entra = readEntra(env, fail);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

type Fail = (name: string, received: string | undefined, expected: string) => void;

/** `--tenant` wins over RUNBOOK_MODE; sandbox is the default. */
function readMode(env: NodeJS.ProcessEnv, argv: string[], fail: Fail): Mode {
  for (const arg of argv) if (arg !== '--tenant' && arg !== '--build') fail('command-line flag', arg, '--tenant or nothing');
  if (argv.includes('--tenant')) return 'tenant';
  return readChoice('RUNBOOK_MODE', env.RUNBOOK_MODE, ['sandbox', 'tenant'] as const, 'sandbox', fail);
}

/** An optional enumerated value. */
function readChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T, fail: Fail): T {
  if (raw === undefined || raw === '') return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  fail(name, raw, `one of ${choices.join(', ')}`);
  return fallback;
}

/** An optional integer within bounds. */
function readInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number, fail: Fail): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (/^\d+$/.test(raw) && n >= min && n <= max) return n;
  fail(name, raw, `a whole number from ${min} to ${max}`);
  return fallback;
}

/** A comma-separated list, blanks dropped. */
function readList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** An allowed origin must be exactly scheme://host[:port], as browsers send it. */
function checkOrigin(origin: string, fail: Fail): boolean {
  try {
    if (new URL(origin).origin === origin) return true;
  } catch { /* reported below */ }
  fail('RUNBOOK_ALLOWED_ORIGINS', origin, 'origins like https://example.com or http://localhost:4321 (no path, no trailing slash)');
  return false;
}

/** The Entra ID settings tenant mode needs. */
function readEntra(env: NodeJS.ProcessEnv, fail: Fail): EntraConfig {
  const clientId = env.RUNBOOK_ENTRA_CLIENT_ID ?? '';
  if (!GUID.test(clientId)) fail('RUNBOOK_ENTRA_CLIENT_ID', env.RUNBOOK_ENTRA_CLIENT_ID, 'the application (client) id of the SPA registration, a GUID');
  const rawTenants = env.RUNBOOK_ENTRA_TENANT_IDS ?? env.RUNBOOK_ENTRA_TENANT_ID;
  const tenantIds = readList(rawTenants).map((t) => t.toLowerCase());
  if (tenantIds.length === 0 || !tenantIds.every((t) => GUID.test(t))) {
    fail('RUNBOOK_ENTRA_TENANT_IDS (or RUNBOOK_ENTRA_TENANT_ID)', rawTenants, 'one or more directory (tenant) ids, GUIDs separated by commas');
  }
  const authorityHost = (env.RUNBOOK_ENTRA_AUTHORITY || ENTRA_HOST).replace(/\/+$/, '');
  let hostName = '';
  try {
    const url = new URL(authorityHost);
    if (url.protocol !== 'https:' || url.origin !== authorityHost) throw new Error('not an https origin');
    hostName = url.host;
  } catch {
    fail('RUNBOOK_ENTRA_AUTHORITY', env.RUNBOOK_ENTRA_AUTHORITY, `an https authority host such as ${ENTRA_HOST} (MSAL refuses http)`);
  }
  const apiAudience = env.RUNBOOK_API_AUDIENCE ?? '';
  if (!apiAudience) fail('RUNBOOK_API_AUDIENCE', env.RUNBOOK_API_AUDIENCE, 'the companion API\'s audience, e.g. api://<API app id> or its client id');
  const apiScope = env.RUNBOOK_API_SCOPE || `${apiAudience}/access_as_user`;
  // Without an audience the default scope cannot be formed; that is the audience's problem, reported above.
  if ((env.RUNBOOK_API_SCOPE || apiAudience) && !/^\S+\/[\w.-]+$/.test(apiScope)) fail('RUNBOOK_API_SCOPE', env.RUNBOOK_API_SCOPE, 'a scope like api://<API app id>/access_as_user');
  return {
    clientId,
    authorityHost,
    authority: `${authorityHost}/${tenantIds.length === 1 ? tenantIds[0] : 'organizations'}`,
    knownAuthorities: authorityHost === ENTRA_HOST ? [] : [hostName],
    tenantIds,
    apiAudience,
    apiScope,
  };
}
