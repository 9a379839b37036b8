/**
 * The HTTP server the companion listens with. A request (its headers and its at most 64 kB body) must arrive within
 * 30 s, its headers within 15 s: a client dripping or stalling a body holds a connection and its buffer that long,
 * not Node's default five minutes, and is answered 408. Event streams are responses, so they are not limited.
 */
import http from 'node:http';

/** How long a request may take to arrive, and how often Node looks for one that took too long. */
export interface RequestLimits {
  requestTimeout: number;
  headersTimeout: number;
  connectionsCheckingInterval: number;
}

export const REQUEST_LIMITS: RequestLimits = {
  requestTimeout: 30_000,
  headersTimeout: 15_000,
  // Node's default is 30 s, so a stalled body would be dropped up to a minute after it started.
  connectionsCheckingInterval: 5_000,
};

/** The server for `app`, with the request limits above (tests pass shorter ones). */
export function createHttpServer(app: http.RequestListener, limits: RequestLimits = REQUEST_LIMITS): http.Server {
  return http.createServer(limits, app);
}
