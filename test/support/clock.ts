/**
 * A clock for the simulator and the steps: `sleep` advances time instead of waiting, so an hour of backoff runs
 * in milliseconds while every timestamp stays consistent.
 */
export class FakeClock {
  #now: number;
  constructor(start = Date.UTC(2026, 10, 27, 8, 0, 0)) {
    this.#now = start;
  }
  /** Current fake time, epoch ms. */
  now = (): number => this.#now;
  /** Advances the clock by `ms` and yields once, as a real sleep would. */
  sleep = async (ms: number): Promise<void> => {
    this.#now += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };
}
