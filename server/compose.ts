/**
 * The composition root: the one place that builds the companion from its configuration (the run store, the token
 * verifier over the sandbox issuer or Entra ID, the executor, the run engine and the app) and takes it apart again in
 * the right order. `main.ts` listens; tests change parts through `Overrides`, explicitly, and nothing else.
 *
 * Which executor: the sandbox simulator in process (RUNBOOK_EXECUTOR=sandbox), real pwsh against the tenant (tenant
 * mode's default), or, in sandbox mode with RUNBOOK_EXECUTOR=powershell, the rehearsal: real pwsh with the stand-in
 * module reaching the simulator over the bridge. The simulator is built only when one of them uses it.
 */
import type { Express } from 'express';
import type { WaitPolicy } from '../src/runbook/core/step.ts';
import { SANDBOX_WAIT_POLICY, TENANT_WAIT_POLICY } from '../src/runbook/core/wait.ts';
import { entraVerifierOptions } from './auth/entra.ts';
import { EXCHANGE_AUDIENCE, EXCHANGE_SCOPE } from './auth/exchange-token.ts';
import { openSandboxIssuer, type SandboxIssuer } from './auth/sandbox-issuer.ts';
import { createSignOuts } from './auth/sign-outs.ts';
import { createVerifier, withVerifiedCache, type VerifierOptions } from './auth/verifier.ts';
import { ConfigError, configProblem, type Config, type PowerShellConfig } from './config.ts';
import { createPowerShellExecutor } from './executors/powershell.ts';
import { SandboxExecutor } from './executors/sandbox.ts';
import type { Executor } from './executors/types.ts';
import { createApp, type SandboxDeps } from './http/app.ts';
import { inlineScriptHashes, siteCsp } from './http/headers.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import type { StreamSet } from './http/sse.ts';
import { CATALOG } from './runs/catalog.ts';
import { createRunEngine, type RunEngine } from './runs/engine.ts';
import { INTERRUPTED_ERROR } from './runs/errors.ts';
import { startExoBridge } from './sandbox/exo-bridge.ts';
import { ExchangeSimulator } from './sandbox/simulator.ts';
import { SANDBOX_TENANTS, sandboxAdmins } from './sandbox/tenants/index.ts';
import type { SandboxTenant } from './sandbox/tenants/shared.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

/** A clock shared by the simulator and the steps' waits; tests pass a virtual one so long delays take no time. */
export interface Clock {
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** What a test may put in place of the configured parts; every field is optional and says what it replaces. */
export interface Overrides {
  /** The simulator's time and the steps' waits (default: the real clock). */
  clock?: Clock;
  /** The run store (default: SQLite in `config.dataDir`); the companion closes it. */
  store?: Store;
  /**
   * Wraps or replaces the executor the configuration selects (a gate, a recorder, a failing executor). The companion
   * closes only the executor this returns, so a wrapper closes the one it wraps.
   */
  executor?: (configured: Executor) => Executor | Promise<Executor>;
  /** The simulated tenants (default contoso and fabrikam; the load test and the bench use copies of contoso). */
  sandboxTenants?: readonly SandboxTenant[];
  /** How steps back off while they wait (default: the one that fits the executor). */
  waitPolicy?: WaitPolicy;
  /** Interval of the comment lines that keep idle event streams open (default 15 s). */
  sseHeartbeatMs?: number;
}

export interface Companion {
  app: Express;
  store: Store;
  engine: RunEngine;
  executor: Executor;
  /** Ends event streams, aborts runs in flight (recorded `unknown`), closes the executor, then the store. */
  close(): Promise<void>;
}

/** Builds the companion for `config`. */
export async function createCompanion(config: Config, overrides: Overrides = {}): Promise<Companion> {
  const store = overrides.store ?? openStore(config.dataDir);
  try {
    // Runs left `running` by a process that stopped without recording them (a crash, a kill) end as unknown.
    await store.endAbandonedRuns(new Date().toISOString(), INTERRUPTED_ERROR);
    const tenants = overrides.sandboxTenants ?? SANDBOX_TENANTS;
    const simulator = () =>
      new ExchangeSimulator({
        ...config.sandbox,
        tenants,
        store: { load: (tid) => store.loadSandboxState(tid), save: (tid, json) => store.saveSandboxState(tid, json) },
        ...(overrides.clock ? { now: overrides.clock.now } : {}),
      });

    let sandbox: SandboxDeps | undefined;
    let verifierOptions: VerifierOptions;
    let configured: Executor;
    if (config.mode === 'sandbox') {
      const admins = sandboxAdmins(tenants);
      const tids = [...new Set(admins.map((a) => a.tid))];
      const issuer = await openSandboxIssuer(config.dataDir, config.sandboxTokenMinutes);
      const sim = simulator();
      configured =
        config.executor === 'sandbox'
          ? new SandboxExecutor(sim)
          : await rehearsalExecutor(sim, issuer, tids, config.powershell);
      const { customizationDelayMs, propagationDelayMs, delegationDelayMs } = config.sandbox;
      const delays = {
        customizationSeconds: customizationDelayMs / 1000,
        propagationSeconds: propagationDelayMs / 1000,
        delegationSeconds: delegationDelayMs / 1000,
      };
      const signOuts = createSignOuts(config.sandboxTokenMinutes * 60);
      sandbox = {
        admins,
        issuer,
        signOuts,
        delays,
        reset: (tid) => sim.reset(tid),
        resetAt: (tid) => sim.resetAt(tid),
      };
      verifierOptions = issuer.verifierOptions(tids);
    } else {
      configured =
        config.executor === 'sandbox' ? new SandboxExecutor(simulator()) : createPowerShellExecutor(config.powershell);
      verifierOptions = entraVerifierOptions(config.entra!);
    }
    const executor = overrides.executor ? await overrides.executor(configured) : configured;

    const engine = createRunEngine({
      store,
      executor,
      explain: CATALOG.explain,
      waitPolicy: overrides.waitPolicy ?? (config.executor === 'sandbox' ? SANDBOX_WAIT_POLICY : TENANT_WAIT_POLICY),
      ...clockOptions(overrides.clock),
    });
    const streams: StreamSet = new Set();
    const authorityOrigin = config.entra ? new URL(config.entra.authorityHost).origin : undefined;
    const app = createApp({
      config,
      store,
      executor,
      engine,
      streams,
      sandbox,
      steps: CATALOG,
      verify: withVerifiedCache(createVerifier(verifierOptions)),
      limiter: createRateLimiter(config.rateLimitPerMinute),
      sseHeartbeatMs: overrides.sseHeartbeatMs ?? 15_000,
      csp: siteCsp(inlineScriptHashes(config.siteDir), authorityOrigin),
    });
    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      engine,
      executor,
      close: () =>
        (closing ??= (async () => {
          // Abort first, then close the executor: calls cut off mid-way end their runs as unknown, which get recorded
          // before the store closes.
          engine.abortAll();
          await executor.close();
          await engine.drain();
          for (const res of streams) res.end();
          await store.close();
        })()),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** The SQLite store in `dataDir`; a folder it cannot use is a configuration problem, said as one. */
function openStore(dataDir: string): Store {
  try {
    return openSqliteStore(dataDir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError([
      configProblem('RUNBOOK_DATA_DIR', dataDir, `a folder the companion can create and write (${reason})`),
    ]);
  }
}

/** The engine's clock options, when a clock is given. */
function clockOptions(clock: Clock | undefined): { now?: () => number; sleep?: Clock['sleep'] } {
  return clock ? { now: clock.now, sleep: clock.sleep } : {};
}

/**
 * Sandbox mode with RUNBOOK_EXECUTOR=powershell, the rehearsal: real pwsh with the stand-in Exchange module, whose
 * cmdlets reach the same simulator through the bridge, which accepts only Exchange tokens the sandbox signed.
 */
async function rehearsalExecutor(
  simulator: ExchangeSimulator,
  issuer: SandboxIssuer,
  tids: string[],
  options: PowerShellConfig,
): Promise<Executor> {
  const verifyExchange = createVerifier({
    ...issuer.verifierOptions(tids),
    audience: EXCHANGE_AUDIENCE,
    requiredScope: EXCHANGE_SCOPE,
  });
  const bridge = await startExoBridge({
    invoke: (tid, call, caller) => simulator.invoke(tid, call, caller),
    async verifyExchangeToken(token, upn) {
      // The sandbox's own wording, with the reason: a rehearsal is where an admin learns what a bad token looks like.
      const actor = await verifyExchange(token).catch((error: Error) => {
        throw new Error(`The access token was rejected: ${error.message}`);
      });
      if (actor.upn.toLowerCase() !== upn.toLowerCase()) {
        throw new Error(`The access token was rejected: it is for ${actor.upn}, not for -UserPrincipalName ${upn}.`);
      }
      return { tid: actor.tid };
    },
  });
  const executor = createPowerShellExecutor({ ...options, env: bridge.env });
  return {
    name: executor.name,
    session: (creds) => executor.session(creds),
    warm: (creds) => executor.warm(creds),
    end: (actor) => executor.end(actor),
    async close() {
      await executor.close();
      await bridge.close();
    },
  };
}
