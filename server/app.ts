/**
 * The companion's Express app: security headers and the Host/Origin guard on everything, the JSON API under /api
 * (public routes first, then sign-in for the rest), and the built site. Testable without listening.
 */
import path from 'node:path';
import express, { type Express } from 'express';
import type { RunError, SandboxAdmin } from '../src/runbook/api.ts';
import type { StepDefinition } from '../src/runbook/core/step.ts';
import { requireAdmin } from './auth/middleware.ts';
import type { SandboxIssuer } from './auth/sandbox-issuer.ts';
import type { Verify } from './auth/verifier.ts';
import type { Config } from './config.ts';
import type { Executor } from './executors/types.ts';
import { apiNotFound, errorHandler } from './http/errors.ts';
import { hostAndOriginGuard } from './http/guard.ts';
import { securityHeaders } from './http/headers.ts';
import type { RateLimiter } from './http/rate-limit.ts';
import { publicRoutes } from './http/routes/public.ts';
import { runRoutes } from './http/routes/runs.ts';
import { sessionRoutes } from './http/routes/session.ts';
import { stepRoutes } from './http/routes/steps.ts';
import type { StreamSet } from './http/sse.ts';
import { requireJsonBody } from './http/validate.ts';
import type { RunEngine } from './runs/engine.ts';
import type { Store } from './store/store.ts';

/** The step catalog as the server uses it. */
export interface StepCatalog {
  get(id: string): StepDefinition | undefined;
  list(): StepDefinition[];
  /** The run record's error for anything a step (or its session) threw, explained when known. */
  explain(step: StepDefinition, error: unknown): RunError;
}

/** Sandbox mode only: the demo admins, their token issuer, and resetting a simulated tenant. */
export interface SandboxDeps {
  admins: SandboxAdmin[];
  issuer: SandboxIssuer;
  reset(tid: string): Promise<void> | void;
}

export interface CompanionDeps {
  config: Config;
  store: Store;
  executor: Executor;
  steps: StepCatalog;
  engine: RunEngine;
  verify: Verify;
  limiter: RateLimiter;
  sandbox?: SandboxDeps;
  streams: StreamSet;
  sseHeartbeatMs: number;
  /** Content-Security-Policy for the site's pages. */
  csp: string;
}

const JSON_LIMIT = '64kb';

/** Astro's `/_astro/` files carry a content hash in their names, so browsers may keep them for good. */
function cacheHashedAssets(res: express.Response, file: string): void {
  if (file.includes(`${path.sep}_astro${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}

/** Builds the app from its parts. */
export function createApp(deps: CompanionDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(deps.csp));
  app.use(hostAndOriginGuard({ bindHost: deps.config.host, allowedHosts: deps.config.allowedHosts, allowedOrigins: deps.config.allowedOrigins }));
  // No compressed bodies: the 64 kB limit then bounds exactly what a client can make the parser hold.
  app.use('/api', requireJsonBody, express.json({ limit: JSON_LIMIT, strict: true, inflate: false }));
  app.use(publicRoutes(deps));
  app.use('/api', requireAdmin(deps.verify, deps.limiter));
  app.use(stepRoutes(deps), runRoutes(deps), sessionRoutes(deps));
  app.use('/api', apiNotFound);
  app.use(express.static(deps.config.siteDir, { extensions: ['html'], index: 'index.html', setHeaders: cacheHashedAssets }));
  app.use((_req, res) => {
    res.status(404).sendFile(path.join(deps.config.siteDir, '404.html'), (err) => {
      if (err && !res.headersSent) res.type('text/plain').send('Not found. Build the site with `npm run build`.');
    });
  });
  app.use(errorHandler);
  return app;
}
