/**
 * The companion's Express app: security headers and the Host/Origin guard on everything, the JSON API under /api
 * (public routes first, then sign-in for the rest), and the built site. Testable without listening.
 */
import path from 'node:path';
import compression from 'compression';
import express, { type Express } from 'express';
import { requireAdmin } from '../auth/middleware.ts';
import type { Verify } from '../auth/verifier.ts';
import type { Config } from '../config.ts';
import { isApiPath } from './api-path.ts';
import { apiNotFound, errorHandler } from './errors.ts';
import { hostAndOriginGuard } from './guard.ts';
import { securityHeaders } from './headers.ts';
import { checkJsonDepth } from './json-depth.ts';
import type { RateLimiter } from './rate-limit.ts';
import { publicRoutes, type PublicRouteDeps } from './routes/public.ts';
import { runRoutes, type RunRouteDeps } from './routes/runs.ts';
import { sessionRoutes, type SessionRouteDeps } from './routes/session.ts';
import { stepRoutes, type StepRouteDeps } from './routes/steps.ts';
import { requireJsonBody } from './validate.ts';

/** Sandbox mode only: the demo admins, their token issuer and its sign-outs, and resetting a simulated tenant. */
export type SandboxDeps = NonNullable<PublicRouteDeps['sandbox']> &
  NonNullable<SessionRouteDeps['sandbox']> &
  Required<NonNullable<RunRouteDeps['sandbox']>>;

/** Everything the app is built from: what each route file asks for, and what the app itself needs. */
export type AppDeps = PublicRouteDeps &
  StepRouteDeps &
  RunRouteDeps &
  SessionRouteDeps & {
    config: Config;
    verify: Verify;
    limiter: RateLimiter;
    sandbox: SandboxDeps | undefined;
    /** Content-Security-Policy for the site's pages. */
    csp: string;
  };

const JSON_LIMIT = '64kb';

/** Astro's `/_astro/` files carry a content hash in their names, so browsers may keep them for good. */
function cacheHashedAssets(res: express.Response, file: string): void {
  if (file.includes(`${path.sep}_astro${path.sep}`))
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}

/** Builds the app from its parts. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // One API surface: `/API/health` is not `/api/health` (see http/api-path.ts); set before the first `use`.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(securityHeaders(deps.csp));
  app.use(
    hostAndOriginGuard({
      bindHost: deps.config.host,
      allowedHosts: deps.config.allowedHosts,
      allowedOrigins: deps.config.allowedOrigins,
    }),
  );
  // No compressed bodies: the 64 kB limit then bounds exactly what a client can make the parser hold; and no body
  // nested deeper than MAX_JSON_DEPTH reaches the parser or anything that walks the result.
  app.use(
    '/api',
    requireJsonBody,
    express.json({
      limit: JSON_LIMIT,
      strict: true,
      inflate: false,
      verify: (_req, _res, body) => checkJsonDepth(body),
    }),
  );
  app.use(publicRoutes(deps));
  app.use('/api', requireAdmin(deps.verify, deps.limiter, deps.sandbox?.signOuts));
  app.use(stepRoutes(deps), runRoutes(deps), sessionRoutes(deps));
  app.use((req, res, next) => (isApiPath(req.path) ? apiNotFound(req, res, next) : next()));
  // The site's pages, scripts and styles go out compressed (gzip or brotli, as the browser accepts): a guide's HTML
  // is ~115 kB raw and ~18 kB compressed. The API is left alone: its event streams must reach the page line by line.
  app.use(compression());
  app.use(
    express.static(deps.config.siteDir, { extensions: ['html'], index: 'index.html', setHeaders: cacheHashedAssets }),
  );
  app.use((_req, res) => {
    res.status(404).sendFile(path.join(deps.config.siteDir, '404.html'), (err) => {
      if (err && !res.headersSent) res.type('text/plain').send('Not found. Build the site with `npm run build`.');
    });
  });
  app.use(errorHandler);
  return app;
}
