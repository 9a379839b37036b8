/**
 * Readers that go away or come back changed: an event stream dropped mid-run (the step keeps running and the
 * subscription is released, however often it happens), and a page whose token expires while it waits for a long
 * step (the run goes on; with a renewed token the page reads its record and events again). The browser side of the
 * renewal (silent, no window) is covered by test/e2e/entra-signin.spec.ts.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RunRecord } from '../../src/runbook/api.ts';
import {
  CONTOSO_ADMIN,
  decodeParts,
  eventually,
  gated,
  readEvents,
  signWithSandboxKey,
  startServer,
  type TestServer,
} from '../support/server.ts';

describe('readers that drop or change', () => {
  let server: TestServer;
  let gate: ReturnType<typeof gated>;
  let subscribed = 0;
  let token: string;
  before(async () => {
    server = await startServer({ executor: (configured) => (gate = gated(configured)).executor });
    // Counts live subscriptions through the engine the routes use, to see that dropped streams let go of theirs.
    const subscribe = server.companion.engine.subscribe.bind(server.companion.engine);
    server.companion.engine.subscribe = (id, listener, afterSeq) => {
      const unsubscribe = subscribe(id, listener, afterSeq);
      if (!unsubscribe) return undefined;
      subscribed += 1;
      return () => {
        subscribed -= 1;
        return unsubscribe();
      };
    };
    token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  /** Starts a step whose Exchange calls are held until `gate.release()`. */
  const startHeld = async (bearer: string) => {
    gate.hold();
    const reply = await server.request('/api/runs', {
      method: 'POST',
      token: bearer,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(reply.status, 202, reply.text);
    await eventually(() => (gate.waiting() > 0 ? true : undefined));
    return reply.json.id as string;
  };

  test('50 streams dropped mid-run: the step still ends normally and every subscription is released', async () => {
    const id = await startHeld(token);
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((resolve) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/api/runs/${id}/events`,
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
      });
    }
    await eventually(() => (subscribed === 0 ? true : undefined));
    gate.release();
    const { events } = await readEvents(server.port, `/api/runs/${id}/events`, token);
    assert.equal((events.at(-1)!.data as RunRecord).status, 'succeeded');
    assert.equal(subscribed, 0);
  });

  test('the token expires while the page waits: the run goes on, and a renewed token reads it and its events', async () => {
    const { header, payload } = decodeParts(token);
    const now = Math.floor(Date.now() / 1000);
    // Expired beyond the verifier's 60 s clock tolerance by the time it is used again.
    const shortLived = await signWithSandboxKey(
      server.dataDir,
      { ...payload, iat: now - 3600, nbf: now - 3600, exp: now + 2 - 60 },
      { kid: header.kid },
    );
    const id = await startHeld(shortLived);
    await new Promise((r) => setTimeout(r, 2500));
    const expired = await server.request(`/api/runs/${id}`, { token: shortLived });
    assert.equal(expired.status, 401);
    assert.equal(expired.json.error.code, 'invalid_token');
    const renewed = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    assert.equal(
      (await server.request(`/api/runs/${id}`, { token: renewed })).json.status,
      'running',
      'the run did not stop with the token',
    );
    const stream = readEvents(server.port, `/api/runs/${id}/events`, renewed);
    gate.release();
    const { events } = await stream;
    assert.equal(events.at(-1)!.event, 'end');
    assert.equal((events.at(-1)!.data as RunRecord).status, 'succeeded');
    assert.ok((events.at(-1)!.data as RunRecord).output.length > 0, 'the renewed reader gets the whole output');
  });
});
