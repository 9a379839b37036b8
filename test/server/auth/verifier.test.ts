/**
 * The verified-token cache: a token verified once is not verified again until it expires; failures are never
 * remembered; the cache stays bounded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError, withVerifiedCache, type Verify } from '../../../server/auth/verifier.ts';
import type { Actor } from '../../../src/runbook/core/cmdlets.ts';

const ACTOR: Actor = { tid: 't', oid: 'o', upn: 'admin@contoso.onmicrosoft.com' };

/** An unsigned token shape with the given `exp` (the cache only reads `exp`; verification is the inner function's). */
const tokenWith = (exp: number, n = 0) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp, n })).toString('base64url')}.sig`;

/** A verifier that counts its calls and accepts or refuses as told. */
function counting(accept = true): Verify & { calls: number } {
  const verify = Object.assign(
    async () => {
      verify.calls += 1;
      if (!accept) throw new AuthError(401, 'invalid_token', 'no');
      return ACTOR;
    },
    { calls: 0 },
  );
  return verify;
}

test('a verified token is served from the cache until its expiry, then verified again', async () => {
  let now = 1_000_000;
  const inner = counting();
  const verify = withVerifiedCache(inner, 10, () => now);
  const token = tokenWith(now / 1000 + 60);
  assert.deepEqual(await verify(token), ACTOR);
  assert.deepEqual(await verify(token), ACTOR);
  assert.equal(inner.calls, 1);
  now += 61_000;
  await verify(token);
  assert.equal(inner.calls, 2, 'expired entries are verified afresh (and the inner verifier decides)');
});

test('refused tokens are never cached', async () => {
  const inner = counting(false);
  const verify = withVerifiedCache(inner, 10, () => 0);
  const token = tokenWith(3600);
  await assert.rejects(verify(token), AuthError);
  await assert.rejects(verify(token), AuthError);
  assert.equal(inner.calls, 2);
});

test('the cache holds at most maxEntries tokens, dropping the oldest', async () => {
  const inner = counting();
  const verify = withVerifiedCache(inner, 2, () => 0);
  for (const n of [1, 2, 3]) await verify(tokenWith(3600, n));
  await verify(tokenWith(3600, 3));
  assert.equal(inner.calls, 3, 'the newest is still cached');
  await verify(tokenWith(3600, 1));
  assert.equal(inner.calls, 4, 'the oldest was dropped');
});
