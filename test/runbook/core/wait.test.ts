/**
 * The backoff steps wait with: delays grow, are capped, and the total never exceeds the policy's bound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepContext, StepOutput, WaitPolicy } from '../../../src/runbook/core/step.ts';
import {
  formatDuration,
  SANDBOX_WAIT_POLICY,
  TENANT_WAIT_POLICY,
  type WaitData,
  withBackoff,
} from '../../../src/runbook/core/wait.ts';
import { FakeClock } from '../../support/clock.ts';

/** A context on a fake clock that records its sleeps and 'wait' lines. */
function fakeContext(policy: WaitPolicy) {
  const clock = new FakeClock();
  const sleeps: number[] = [];
  const waits: WaitData[] = [];
  const ctx: StepContext = {
    exo: { invoke: async () => assert.fail('no calls expected') },
    emit: (kind: StepOutput['kind'], _text: string, data?: unknown) =>
      void (kind === 'wait' && waits.push(data as WaitData)),
    sleep: (ms) => (sleeps.push(ms), clock.sleep(ms)),
    now: clock.now,
    signal: new AbortController().signal,
    waitPolicy: policy,
  };
  return { ctx, sleeps, waits, clock };
}

describe('withBackoff', () => {
  it('doubles the delay up to the cap and stops exactly at the sandbox bound (2 min)', async () => {
    const { ctx, sleeps, waits } = fakeContext(SANDBOX_WAIT_POLICY);
    let checks = 0;
    const outcome = await withBackoff(ctx, {
      waitingFor: 'Godot',
      check: async () => (checks++, { retry: 'not yet' }),
    });
    assert.deepEqual(outcome, { timedOut: 'not yet', elapsedMs: 120_000 });
    assert.deepEqual(sleeps, [2000, 4000, 8000, 15000, 15000, 15000, 15000, 15000, 15000, 15000, 1000]);
    assert.equal(checks, sleeps.length + 1, 'checks once more after the last sleep');
    assert.deepEqual(
      waits.map((w) => w.attempt),
      sleeps.map((_, i) => i + 1),
    );
    assert.deepEqual(waits[1], {
      attempt: 2,
      elapsedMs: 2000,
      nextCheckAt: new Date(Date.UTC(2026, 10, 27, 8, 0, 6)).toISOString(),
      waitingFor: 'Godot',
      reason: 'not yet',
    });
  });
  it('waits up to an hour on real tenants, never more than 5 minutes at a time', async () => {
    const { ctx, sleeps } = fakeContext(TENANT_WAIT_POLICY);
    await withBackoff(ctx, { waitingFor: 'x', check: async () => ({ retry: 'r' }) });
    assert.deepEqual(sleeps.slice(0, 6), [15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
    assert.ok(sleeps.every((ms) => ms <= 300_000));
    assert.equal(
      sleeps.reduce((a, b) => a + b, 0),
      3_600_000,
    );
  });
  it('returns the outcome as soon as a check is done', async () => {
    const { ctx, sleeps } = fakeContext(SANDBOX_WAIT_POLICY);
    const outcome = await withBackoff(ctx, {
      waitingFor: 'x',
      check: async (attempt) => (attempt < 3 ? { retry: 'r' } : { done: attempt }),
    });
    assert.deepEqual(outcome, { done: 3 });
    assert.deepEqual(sleeps, [2000, 4000]);
  });
  it('stops when the sleep rejects (the run was aborted)', async () => {
    const { ctx } = fakeContext(SANDBOX_WAIT_POLICY);
    ctx.sleep = () => Promise.reject(new Error('aborted'));
    await assert.rejects(withBackoff(ctx, { waitingFor: 'x', check: async () => ({ retry: 'r' }) }), /aborted/);
  });
});

describe('formatDuration', () => {
  it('keeps output lines short', () => {
    assert.deepEqual(
      [
        formatDuration(1500),
        formatDuration(60_000),
        formatDuration(150_000),
        formatDuration(3_900_000),
        formatDuration(7_200_000),
      ],
      ['2 s', '1 min', '2 min 30 s', '1 h 5 min', '2 h'],
    );
  });
});
