/**
 * The companion's configuration, read once at startup from environment variables and command-line flags through one
 * zod schema (every variable the README lists, the PowerShell and sandbox settings included). A bad value stops the
 * server with what was received and what was expected, every problem at once, never a silent default.
 */
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { Mode } from '../src/runbook/api.ts';
import { findPwsh, thisPwshSearchHost } from './executors/powershell/find-pwsh.ts';
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

/** The PowerShell executor's settings (tenant mode, and sandbox rehearsals with RUNBOOK_EXECUTOR=powershell). */
export interface PowerShellConfig {
  /** pwsh executable: NODE_POWERSHELL, else pwsh on PATH or in its usual install folders (find-pwsh.ts). */
  executable: string;
  /** Module folders searched first (RUNBOOK_PSMODULEPATH), e.g. the stand-in ExchangeOnlineManagement. */
  modulePath?: string;
  /** A session unused this long is closed (RUNBOOK_PS_IDLE). */
  idleMs: number;
  /** At most this many pwsh processes at once (RUNBOOK_PS_MAX). */
  maxSessions: number;
  /** A cmdlet running longer is killed and its run ends `unknown` (RUNBOOK_PS_CALL_TIMEOUT). */
  callTimeoutMs: number;
}

/** The sandbox simulator's customization timeline. */
interface SandboxDelays {
  /** From Enable-OrganizationCustomization until IsDehydrated reads False (RUNBOOK_CUSTOMIZATION_DELAY). */
  customizationDelayMs: number;
  /** After IsDehydrated reads False, how long writes keep failing (RUNBOOK_PROPAGATION_DELAY). */
  propagationDelayMs: number;
  /** After writes are allowed, how long application role assignments still fail (RUNBOOK_DELEGATION_DELAY). */
  delegationDelayMs: number;
}

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  /** HOST may be a non-loopback address (RUNBOOK_ALLOW_NETWORK=1 or --allow-network). */
  allowNetwork: boolean;
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
  sandbox: SandboxDelays;
  powershell: PowerShellConfig;
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

/** One problem in the format every configuration error uses. */
export function configProblem(name: string, received: unknown, expected: string): string {
  return `${name}: received ${received === undefined ? 'nothing' : JSON.stringify(received)}, expected ${expected}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENTRA_HOST = 'https://login.microsoftonline.com';
const FLAGS = ['--tenant', '--allow-network', '--build'] as const;

/** A whole number within bounds, from its decimal text. */
const integer = (min: number, max: number, unit = '') => {
  const expected = `a whole number${unit} from ${min} to ${max}`;
  return z
    .string()
    .refine((s) => /^\d{1,15}$/.test(s) && Number(s) >= min && Number(s) <= max, expected)
    .transform(Number);
};
/** Whole seconds within bounds, as milliseconds. */
const wholeSeconds = (min: number, max: number) => integer(min, max, ' of seconds').transform((s) => s * 1000);
/** Seconds, fractions allowed (sandbox delays), as milliseconds. */
const seconds = (max: number) =>
  z
    .string()
    .refine((s) => /^\d{1,9}(\.\d{1,3})?$/.test(s) && Number(s) <= max, `a number of seconds from 0 to ${max}`)
    .transform((s) => Math.round(Number(s) * 1000));
/** A comma-separated list, blanks dropped, each item checked by `item`. */
const list = <T>(item: z.ZodType<T, string>) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const origin = z
  .string()
  .refine(
    (o) => URL.parse(o)?.origin === o,
    'origins like https://example.com or http://localhost:4321 (no path, no trailing slash)',
  );
const hostHeader = z
  .string()
  .regex(
    /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/i,
    'Host header values like docs.example.com or docs.example.com:8080, comma-separated',
  )
  .transform((h) => h.toLowerCase());
const hostName = z
  .string()
  .refine(
    (h) => net.isIP(h) !== 0 || /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(h),
    'an IP address or a host name, e.g. 127.0.0.1',
  );

/** Every variable but the Entra ones; a key's schema receives the raw text, or undefined when unset or empty. */
const Settings = z.object({
  HOST: hostName.default('127.0.0.1'),
  PORT: integer(0, 65535).default(4321),
  RUNBOOK_ALLOW_NETWORK: z
    .enum(['0', '1'], '1 (listen beyond loopback) or 0')
    .default('0')
    .transform((v) => v === '1'),
  RUNBOOK_DATA_DIR: z
    .string()
    .default('.runbook')
    .transform((dir) => path.resolve(dir)),
  RUNBOOK_MODE: z.enum(['sandbox', 'tenant'], 'one of sandbox, tenant').default('sandbox'),
  RUNBOOK_EXECUTOR: z.enum(['sandbox', 'powershell'], 'one of sandbox, powershell').optional(),
  RUNBOOK_ALLOWED_ORIGINS: list(origin).default([]),
  RUNBOOK_ALLOWED_HOSTS: list(hostHeader).default([]),
  RUNBOOK_RATE_LIMIT: integer(1, 1_000_000).default(600),
  RUNBOOK_SANDBOX_TOKEN_MINUTES: integer(1, 1440).default(60),
  RUNBOOK_CUSTOMIZATION_DELAY: seconds(86_400).default(45_000),
  RUNBOOK_PROPAGATION_DELAY: seconds(86_400).default(20_000),
  RUNBOOK_DELEGATION_DELAY: seconds(86_400).default(30_000),
  NODE_POWERSHELL: z.string().optional(),
  RUNBOOK_PSMODULEPATH: z.string().optional(),
  RUNBOOK_PS_IDLE: wholeSeconds(1, 86_400).default(900_000),
  RUNBOOK_PS_MAX: integer(1, 100).default(4),
  RUNBOOK_PS_CALL_TIMEOUT: wholeSeconds(1, 86_400).default(120_000),
  argv: z.array(z.enum(FLAGS, '--tenant, --allow-network or nothing')),
});

/** The tenant-mode settings, checked only in tenant mode. */
const TENANT_IDS = 'RUNBOOK_ENTRA_TENANT_IDS (or RUNBOOK_ENTRA_TENANT_ID)';
const TENANT_IDS_EXPECTED = 'one or more directory (tenant) ids, GUIDs separated by commas';
const tenantIds = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
const EntraSettings = z.object({
  RUNBOOK_ENTRA_CLIENT_ID: z
    .string('the application (client) id of the SPA registration, a GUID')
    .regex(GUID, 'the application (client) id of the SPA registration, a GUID'),
  [TENANT_IDS]: z
    .string(TENANT_IDS_EXPECTED)
    .refine((s) => tenantIds(s).length > 0 && tenantIds(s).every((t) => GUID.test(t)), TENANT_IDS_EXPECTED)
    .transform(tenantIds),
  RUNBOOK_ENTRA_AUTHORITY: z
    .string()
    .refine(
      (s) => isHttpsOrigin(s.replace(/\/+$/, '')),
      `an https authority host such as ${ENTRA_HOST} (MSAL refuses http)`,
    )
    .transform((s) => s.replace(/\/+$/, ''))
    .default(ENTRA_HOST),
  RUNBOOK_API_AUDIENCE: z.string("the companion API's audience, e.g. api://<API app id> or its client id"),
  RUNBOOK_API_SCOPE: z
    .string()
    .regex(/^\S+\/[\w.-]+$/, 'a scope like api://<API app id>/access_as_user')
    .optional(),
});

/** `https://host[:port]` and nothing more. */
function isHttpsOrigin(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed?.protocol === 'https:' && parsed.origin === url;
}

/** How a path in the input is named in a problem. */
function nameOf(issuePath: ReadonlyArray<PropertyKey>): string {
  const key = String(issuePath[0] ?? 'configuration');
  return key === 'argv' ? 'command-line flag' : key;
}

/** The problems in a failed parse, each as `NAME: received "x", expected ...`. */
function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => configProblem(nameOf(issue.path), issue.input, issue.message));
}

/** Unset and empty variables alike are "not given". */
function given(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for addresses only this machine can reach: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = net.isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** What listening on a non-loopback `host` exposes, for the refusal and for the warning given with the opt-in. */
export function networkExposure(host: string): string {
  return (
    `listening on ${host} makes the companion reachable from other machines: its API, the sandbox sign-in (which ` +
    'hands out tokens without a password) and, in tenant mode, the PowerShell sessions that run changes in your tenant'
  );
}

/** Reads the configuration from `env` and `argv`; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const raw: Record<string, unknown> = { argv };
  for (const key of Object.keys(Settings.shape)) if (key !== 'argv') raw[key] = given(env[key]);
  const settings = Settings.safeParse(raw, { reportInput: true });
  const problems = settings.success ? [] : problemsOf(settings.error);
  const mode: Mode = argv.includes('--tenant') ? 'tenant' : (settings.data?.RUNBOOK_MODE ?? 'sandbox');

  let entra: EntraConfig | undefined;
  if (mode === 'tenant') {
    const parsed = EntraSettings.safeParse(
      {
        RUNBOOK_ENTRA_CLIENT_ID: given(env.RUNBOOK_ENTRA_CLIENT_ID),
        [TENANT_IDS]: given(env.RUNBOOK_ENTRA_TENANT_IDS) ?? given(env.RUNBOOK_ENTRA_TENANT_ID),
        RUNBOOK_ENTRA_AUTHORITY: given(env.RUNBOOK_ENTRA_AUTHORITY),
        RUNBOOK_API_AUDIENCE: given(env.RUNBOOK_API_AUDIENCE),
        RUNBOOK_API_SCOPE: given(env.RUNBOOK_API_SCOPE),
      },
      { reportInput: true },
    );
    if (parsed.success) entra = entraConfig(parsed.data);
    else problems.push(...problemsOf(parsed.error));
  }

  const s = settings.data;
  if (s) {
    const allowNetwork = s.RUNBOOK_ALLOW_NETWORK || argv.includes('--allow-network');
    if (!allowNetwork && !isLoopbackHost(s.HOST)) {
      problems.push(
        configProblem(
          'HOST',
          s.HOST,
          `a loopback address (127.0.0.1, ::1 or localhost): ${networkExposure(s.HOST)}. ` +
            'If that is what you want, also set RUNBOOK_ALLOW_NETWORK=1 (or pass --allow-network)',
        ),
      );
    }
  }
  if (problems.length > 0 || !s) throw new ConfigError(problems);

  const config: Config = {
    mode,
    host: s.HOST,
    port: s.PORT,
    allowNetwork: s.RUNBOOK_ALLOW_NETWORK || argv.includes('--allow-network'),
    dataDir: s.RUNBOOK_DATA_DIR,
    siteDir: path.resolve(import.meta.dirname, '..', 'dist'),
    executor: s.RUNBOOK_EXECUTOR ?? (mode === 'tenant' ? 'powershell' : 'sandbox'),
    allowedOrigins: s.RUNBOOK_ALLOWED_ORIGINS,
    allowedHosts: s.RUNBOOK_ALLOWED_HOSTS,
    rateLimitPerMinute: s.RUNBOOK_RATE_LIMIT,
    sandboxTokenMinutes: s.RUNBOOK_SANDBOX_TOKEN_MINUTES,
    sandbox: {
      customizationDelayMs: s.RUNBOOK_CUSTOMIZATION_DELAY,
      propagationDelayMs: s.RUNBOOK_PROPAGATION_DELAY,
      delegationDelayMs: s.RUNBOOK_DELEGATION_DELAY,
    },
    powershell: {
      executable: s.NODE_POWERSHELL ?? findPwsh({ ...thisPwshSearchHost(), env }).executable,
      idleMs: s.RUNBOOK_PS_IDLE,
      maxSessions: s.RUNBOOK_PS_MAX,
      callTimeoutMs: s.RUNBOOK_PS_CALL_TIMEOUT,
    },
  };
  if (s.RUNBOOK_PSMODULEPATH !== undefined) config.powershell.modulePath = s.RUNBOOK_PSMODULEPATH;
  if (entra) config.entra = entra;
  return config;
}

/** The Entra settings as the verifier and the browser need them. */
function entraConfig(e: z.output<typeof EntraSettings>): EntraConfig {
  const tenantIds = e[TENANT_IDS];
  const authorityHost = e.RUNBOOK_ENTRA_AUTHORITY;
  return {
    clientId: e.RUNBOOK_ENTRA_CLIENT_ID,
    authorityHost,
    authority: `${authorityHost}/${tenantIds.length === 1 ? tenantIds[0] : 'organizations'}`,
    knownAuthorities: authorityHost === ENTRA_HOST ? [] : [new URL(authorityHost).host],
    tenantIds,
    apiAudience: e.RUNBOOK_API_AUDIENCE,
    apiScope: e.RUNBOOK_API_SCOPE ?? `${e.RUNBOOK_API_AUDIENCE}/access_as_user`,
  };
}
