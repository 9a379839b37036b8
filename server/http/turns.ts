/**
 * Shares the event loop between long responses: each takes a turn before it does a piece of work, and at most
 * `perTurn` pieces run per turn of the loop, however many responses wait, so other requests are served in between.
 * A response waiting for a slow client does not hold a turn.
 */
export interface Turns {
  /** Resolves when the caller may do its next piece of work. */
  next(): Promise<void>;
}

/** Turns of at most `perTurn` pieces. */
export function createTurns(perTurn: number): Turns {
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const pump = () => {
    scheduled = false;
    for (const resolve of waiting.splice(0, perTurn)) resolve();
    if (waiting.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };
  return {
    next() {
      return new Promise((resolve) => {
        waiting.push(resolve);
        schedule();
      });
    },
  };
}
