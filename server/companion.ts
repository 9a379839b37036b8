/**
 * Assembles the companion from its configuration: store, token verifier (sandbox issuer or Entra), executor, run
 * engine and app; and takes it apart again in the right order. `main.ts` listens; tests pass their own parts.
 */
import type { Express } from 'express';
import type { SandboxAdmin } from '../src/runbook/api.ts';
import type { WaitPolicy } from '../src/runbook/core/step.ts';
import { createApp, type SandboxDeps, type StepCatalog } from './app.ts';
import { entraVerifierOptions } from './auth/entra.ts';
import { openSandboxIssuer, type SandboxIssuer } from './auth/sandbox-issuer.ts';
import { createVerifier, withVerifiedCache } from './auth/verifier.ts';
import type { Config } from './config.ts';
import type { Executor } from './executors/types.ts';
import { inlineScriptHashes, siteCsp } from './http/headers.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import type { StreamSet } from './http/sse.ts';
import { createRunEngine, type RunEngine } from './runs/engine.ts';
import { openStore, type Store } from './store/store.ts';

/** The parts that differ between the real server and tests. */
export interface CompanionParts {
  steps: StepCatalog;
  /**
   * Builds the executor over the store (the sandbox simulator persists its tenants there); in sandbox mode the
   * issuer lets a PowerShell rehearsal check the Exchange tokens it signed.
   */
  executor(store: Store, sandboxIssuer?: SandboxIssuer): Promise<Executor> | Executor;
  /** Sandbox mode: the demo admins and how to reset a tenant. */
  sandbox?: { admins: SandboxAdmin[]; reset(store: Store, tid: string): Promise<void> | void };
  waitPolicy?: WaitPolicy;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
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

/** Opens the store and builds every part. */
export async function createCompanion(config: Config, parts: CompanionParts): Promise<Companion> {
  const store = openStore(config.dataDir);
  try {
    let sandbox: SandboxDeps | undefined;
    let verifierOptions;
    let executor: Executor;
    if (config.mode === 'sandbox') {
      if (!parts.sandbox) throw new Error('sandbox mode needs the sandbox tenants');
      const sandboxParts = parts.sandbox;
      const issuer = await openSandboxIssuer(config.dataDir, config.sandboxTokenMinutes);
      executor = await parts.executor(store, issuer);
      sandbox = { admins: sandboxParts.admins, issuer, reset: (tid) => sandboxParts.reset(store, tid) };
      verifierOptions = issuer.verifierOptions([...new Set(sandboxParts.admins.map((a) => a.tid))]);
    } else {
      executor = await parts.executor(store);
      verifierOptions = entraVerifierOptions(config.entra!);
    }
    const engine = createRunEngine({
      store, executor, explain: parts.steps.explain, now: parts.now, sleep: parts.sleep, waitPolicy: parts.waitPolicy,
    });
    const streams: StreamSet = new Set();
    const authorityOrigin = config.entra ? new URL(config.entra.authorityHost).origin : undefined;
    const app = createApp({
      config, store, executor, engine, streams, sandbox,
      steps: parts.steps,
      verify: withVerifiedCache(createVerifier(verifierOptions)),
      limiter: createRateLimiter(config.rateLimitPerMinute),
      sseHeartbeatMs: parts.sseHeartbeatMs ?? 15_000,
      csp: siteCsp(inlineScriptHashes(config.siteDir), authorityOrigin),
    });
    let closing: Promise<void> | undefined;
    return {
      app, store, engine, executor,
      close: () => (closing ??= (async () => {
        // Abort first, then close the executor: calls cut off mid-way end their runs as unknown, which get recorded
        // before the store closes.
        engine.abortAll();
        await executor.close();
        await engine.drain();
        for (const res of streams) res.end();
        store.close();
      })()),
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
