/**
 * The routes that need no sign-in: health, the browser's configuration, and (sandbox mode) sign-in and the
 * sandbox issuer's public keys.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { ConfigResponse, HealthResponse, SandboxAdmin, SandboxDelays } from '../../../src/runbook/api.ts';
import { actorKey } from '../../auth/actor.ts';
import { EXCHANGE_AUDIENCE } from '../../auth/exchange-token.ts';
import { sandboxObjectId, type SandboxIssuer } from '../../auth/sandbox-issuer.ts';
import type { SignOuts } from '../../auth/sign-outs.ts';
import type { Config } from '../../config.ts';
import type { Executor } from '../../executors/types.ts';
import { apiRouter } from '../api-path.ts';
import { HttpError } from '../errors.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { parseOrThrow } from '../validate.ts';

export interface PublicRouteDeps {
  config: Pick<Config, 'mode' | 'entra'>;
  executor: Pick<Executor, 'name'>;
  limiter: RateLimiter;
  /**
   * Sandbox mode: the demo admins, the token issuer and who signed out (new tokens are issued after their sign-out),
   * and the simulated delays the page shows beside a real tenant's.
   */
  sandbox?: { admins: SandboxAdmin[]; issuer: SandboxIssuer; signOuts: SignOuts; delays?: SandboxDelays } | undefined;
}

const SignInBody = z.strictObject({
  user: z.string().min(1, 'must name a demo admin').max(256, 'must be at most 256 characters'),
});

/** Health, config, sandbox sign-in and JWKS. */
export function publicRoutes(deps: PublicRouteDeps): Router {
  const { config } = deps;
  const router = apiRouter();

  router.get('/api/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok', mode: config.mode, executor: deps.executor.name };
    res.json(body);
  });

  router.get('/api/config', (_req, res) => {
    const body: ConfigResponse = { mode: config.mode, executor: deps.executor.name };
    if (deps.sandbox) {
      body.sandbox = { admins: deps.sandbox.admins };
      if (deps.sandbox.delays) body.sandbox.delays = deps.sandbox.delays;
    }
    if (config.entra) {
      body.entra = {
        clientId: config.entra.clientId,
        authority: config.entra.authority,
        knownAuthorities: config.entra.knownAuthorities,
        companionScope: config.entra.apiScope,
        exchangeScope: `${EXCHANGE_AUDIENCE}/.default`,
        allowedTenants: config.entra.tenantIds,
      };
    }
    res.json(body);
  });

  const { sandbox } = deps;
  if (!sandbox) return router;

  router.get('/api/sandbox/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(sandbox.issuer.jwks);
  });

  router.post('/api/sandbox/sign-in', async (req, res) => {
    const { user } = parseOrThrow(SignInBody, req.body ?? {});
    const admin = sandbox.admins.find((a) => a.upn.toLowerCase() === user.toLowerCase());
    if (!admin) {
      throw new HttpError(
        400,
        'invalid_field',
        `user: must be one of the sandbox admins (${sandbox.admins.map((a) => a.upn).join(', ')})`,
        { field: 'user' },
      );
    }
    deps.limiter.take(`sign-in:${admin.upn}`);
    const key = actorKey({ tid: admin.tid, oid: sandboxObjectId(admin.upn) });
    res.json(await sandbox.issuer.signIn(admin, sandbox.signOuts.issuedAt(key)));
  });
  return router;
}
