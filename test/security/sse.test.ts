/**
 * Event-stream abuse: more streams than an admin may hold, streams of someone else's run, junk Last-Event-ID values,
 * and streams opened and dropped in a loop (the per-admin count must come back down, or an admin locks themselves out).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { eventually, gated, readEvents } from '../support/server.ts';
import { assertRefused, type Hostile, hostileServer, send } from '../support/security.ts';

const MAX_STREAMS = 8;

/** Opens an event stream and resolves with its status once the headers arrive; `close()` drops the connection. */
function openStream(
  port: number,
  path: string,
  token: string,
): Promise<{ status: number; close(): void; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const closed = new Promise<void>((done) => res.once('close', () => done()));
      res.resume();
      resolve({ status: res.statusCode!, close: () => req.destroy(), closed });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
  });
}

/**
 * Opens `n` streams one at a time; a 429 while the server has not yet seen earlier streams close (the client learns
 * of the close first) is retried, so this also proves the slots come back.
 */
async function openMany(port: number, path: string, token: string, n: number) {
  const streams = [];
  for (let i = 0; i < n; i++) {
    streams.push(
      await eventually(async () => {
        const s = await openStream(port, path, token);
        if (s.status === 200) return s;
        s.close();
        return undefined;
      }),
    );
  }
  return streams;
}

/** Closes streams and waits until the client saw them close. */
async function closeAll(streams: Array<{ close(): void; closed: Promise<void> }>): Promise<void> {
  for (const s of streams) s.close();
  await Promise.all(streams.map((s) => s.closed));
}

describe('SSE abuse', () => {
  let h: Hostile;
  let gate: ReturnType<typeof gated>;
  let runId: string;
  before(async () => {
    h = await hostileServer({ executor: (configured) => (gate = gated(configured)).executor });
    gate.hold();
    const started = await send(h, '/api/runs', {
      method: 'POST',
      token: h.contoso.accessToken,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(started.status, 202);
    runId = started.json.id;
    await eventually(() => (gate.waiting() > 0 ? true : undefined));
  });
  after(async () => {
    gate.release();
    await h.close();
  });
  const events = () => `/api/runs/${runId}/events`;

  test(`at most ${MAX_STREAMS} streams per admin: the next gets 429 with Retry-After; dropping them frees the slots`, async () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      const streams = await openMany(h.server.port, events(), h.contoso.accessToken, MAX_STREAMS);
      const before = await h.snapshot();
      const extra = await send(h, events(), { token: h.contoso.accessToken });
      await assertRefused(h, extra, { status: 429, code: 'too_many_streams' }, before);
      assert.ok(Number(extra.headers['retry-after']) > 0);
      await closeAll(streams);
    }
  });

  test("another admin's live run: 404 for its stream, as for a run that does not exist", async () => {
    const before = await h.snapshot();
    await assertRefused(
      h,
      await send(h, events(), { token: h.fabrikam.accessToken }),
      { status: 404, code: 'unknown_run' },
      before,
    );
  });

  test("another admin's streams do not count against this admin", async () => {
    const streams = await openMany(h.server.port, events(), h.contoso.accessToken, MAX_STREAMS);
    const other = await readEvents(h.server.port, `/api/runs/${h.fabrikamRun.id}/events`, h.fabrikam.accessToken);
    assert.equal(other.status, 200);
    assert.equal(other.events.at(-1)?.event, 'end');
    await closeAll(streams);
  });

  for (const junk of ['-1', '1e9', 'abc', '99999999999', '1\u00a0', '0x10']) {
    test(`junk Last-Event-ID ${JSON.stringify(junk)} is ignored: the finished run replays in full`, async () => {
      const reply = await eventually(async () => {
        const r = await readEvents(h.server.port, `/api/runs/${h.contosoRun.id}/events`, h.contoso.accessToken, {
          'last-event-id': junk,
        });
        return r.status === 429 ? undefined : r;
      });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.events.at(-1)?.data, h.contosoRun);
    });
  }

  test('the run keeps going while streams come and go, and ends normally', async () => {
    for (let i = 0; i < 20; i++) (await openStream(h.server.port, events(), h.contoso.accessToken)).close();
    gate.release();
    const final = await eventually(async () => {
      const run = (await send(h, `/api/runs/${runId}`, { token: h.contoso.accessToken })).json;
      return run.status === 'running' ? undefined : run;
    });
    assert.equal(final.status, 'succeeded');
  });
});
