/**
 * What the guides' flows (test/flows/<slug>.ts) run against: a harness around one executor, and the two sandbox
 * admins. `runGuideFlows` registers every guide's flows by iterating GUIDES, so a new guide's flows run through both
 * executors (test/server/executors/sandbox-flows.test.ts, test/pwsh/scenarios.test.ts) without touching either file;
 * a guide without a flows file fails there.
 */
import { describe } from 'node:test';
import { GUIDES } from '../../src/runbook/catalog.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { Executor, SessionCredentials } from '../../server/executors/types.ts';
import type { Clock } from './step-runner.ts';

export interface ScenarioHarness {
  executor: Executor;
  /** The clock the simulator behind the executor reads; `sleep` advances it (a fake clock makes waits instant). */
  clock: Clock;
  /** Puts a sandbox tenant back to its seed state. */
  reset(tid: string): Promise<void> | void;
  /** Credentials for an admin's session (e.g. with an Exchange token); defaults to `{ actor }`. */
  credentials?(actor: Actor): SessionCredentials;
  close?(): Promise<void>;
}

/** What a flows file exports by default: registers its scenarios against the executor `makeHarness` builds. */
export type GuideFlows = (makeHarness: () => Promise<ScenarioHarness>) => void;

export const CONTOSO = { tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001', oid: 'scenario-admin-contoso', upn: 'admin@contoso.onmicrosoft.com' };
export const FABRIKAM = { tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002', oid: 'scenario-admin-fabrikam', upn: 'admin@fabrikam.onmicrosoft.com' };

/** Registers the flows of every guide in GUIDES, each in its own suite named after the guide and `through`. */
export async function runGuideFlows(through: string, makeHarness: () => Promise<ScenarioHarness>, options: { skip?: boolean | string } = {}): Promise<void> {
  for (const guide of GUIDES) {
    const flows = ((await import(`../flows/${guide.slug}.ts`)) as { default: GuideFlows }).default;
    describe(`${guide.title}: flows through ${through}`, options, () => flows(makeHarness));
  }
}
