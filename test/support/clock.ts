/**
 * The one fake clock, for the simulator, the steps and the companion under test: `sleep` advances time instead of
 * waiting (after yielding once, as a real sleep would, and refusing when the run is aborted), so an hour of backoff
 * runs in milliseconds while every timestamp stays consistent.
 */
import type { Clock } from '../../server/compose.ts';

export class FakeClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2026, 10, 27, 8, 0, 0)) {
    this.#now = start;
  }
  /** Current fake time, epoch ms. */
  now = (): number => this.#now;
  /** Yields once, then advances the clock by `ms`; rejects when `signal` is (or gets) aborted. */
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    this.#now += ms;
  };
}
