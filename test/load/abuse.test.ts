/**
 * Memory under abuse: the companion (its own process, --expose-gc) goes through the phases an attacker on this
 * machine could run, one after another: event streams opened past the per-admin limit and dropped mid-run, slow and
 * stalled request bodies, a flood of refused requests, deeply nested bodies, and large transcripts (downloaded ten at
 * a time, and dropped after the first bytes). After each phase the heap in use after a full GC and the RSS are
 * printed; what the companion still holds at the end must be bounded: the heap may not grow by more than 16 MiB over
 * the whole run, and RSS (which also counts V8's and the allocator's reserve) by no more than 160 MiB. Before the
 * fixes, this suite took the RSS from ~120 to ~690 MiB (deep bodies alone +700 MiB in a shorter run).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { sandboxObjectId } from '../../server/auth/sandbox-issuer.ts';
import { signIn, type AdminClient } from '../support/api-client.ts';
import { startChild, type ChildServer } from '../support/child-server.ts';
import { recordMaxSizeRuns } from '../support/max-size-runs.ts';
import { replicaAdmins } from '../support/replica-tenants.ts';
import { rawRequest, tempDataDir } from '../support/server.ts';

const ADMINS = 10;
const TRANSCRIPT_RUNS = 300;

/** Runs `count` tasks, `lanes` at a time. */
async function inLanes(count: number, lanes: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Opens an event stream; resolves once it is answered, with its status and a way to drop it. */
function openStream(port: number, path: string, token: string): Promise<{ status: number; drop(): void }> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, drop: () => req.destroy() });
      },
    );
    req.on('error', () => resolve({ status: 0, drop: () => {} }));
  });
}

/** A POST whose declared 60 kB body arrives 1 kB every `everyMs`, for `forMs`, then the socket is dropped. */
function slowBody(port: number, token: string, everyMs: number, forMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"step":"check-dehydrated","params":{"x":"`,
      );
      const drip = setInterval(() => socket.write('x'.repeat(1024)), everyMs);
      setTimeout(() => {
        clearInterval(drip);
        socket.destroy();
      }, forMs);
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

/** Downloads a transcript and drops the connection after the first chunk. */
function dropTranscript(port: number, token: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/transcript?format=md',
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` },
      },
      (res) => {
        res.once('data', () => req.destroy());
        res.on('close', () => resolve());
      },
    );
    req.on('error', () => resolve());
  });
}

/** Downloads a transcript in full and resolves to its size in bytes. */
function fullTranscript(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: '/api/transcript?format=md',
          headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` },
        },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => resolve(bytes));
        },
      )
      .on('error', reject);
  });
}

test(
  "abuse phases: streams, slow bodies, floods, deep bodies, transcripts leave the companion's memory bounded",
  { timeout: 600_000 },
  async () => {
    const dataDir = tempDataDir();
    const admins = replicaAdmins(ADMINS);
    // The first admin has a long history: 300 runs of the largest size the API accepts.
    await recordMaxSizeRuns(
      dataDir,
      { tid: admins[0]!.tid, oid: sandboxObjectId(admins[0]!.upn), upn: admins[0]!.upn },
      TRANSCRIPT_RUNS,
    );
    const server: ChildServer = await startChild(
      'test/support/replica-server.ts',
      {
        PORT: '0',
        RUNBOOK_DATA_DIR: dataDir,
        REPLICAS: String(ADMINS),
        RUNBOOK_RATE_LIMIT: '1000000',
        RUNBOOK_CUSTOMIZATION_DELAY: '2',
        RUNBOOK_PROPAGATION_DELAY: '0.3',
        REPLICA_WAIT_MS: '200',
      },
      { nodeArgs: ['--expose-gc'] },
    );
    const figures: string[] = [];
    try {
      const port = server.port;
      const clients: AdminClient[] = await Promise.all(admins.map((a) => signIn(port, a.upn)));
      // Warm up: a few runs, a transcript, so caches and the JIT are in place before the baseline.
      for (const client of clients) await client.run('check-impersonation-role');
      await fullTranscript(port, clients[0]!.token);
      const baseline = await server.memory();
      const note = (phase: string, m: Record<string, number>) =>
        figures.push(
          `${phase}: heap ${m.heapUsed!.toFixed(1)} MiB ` +
            `(of ${m.heapTotal!.toFixed(0)} reserved, external ${m.external!.toFixed(1)}), RSS ${m.rss!.toFixed(0)} MiB`,
        );
      note('baseline', baseline);

      // 1. Event streams: each admin starts a run that keeps waiting (check-dehydrated on a tenant never customized)
      //    and, twenty times over, opens 12 streams of it, 4 over the limit, and drops them all mid-run.
      const waiting = await Promise.all(clients.map((client) => client.start('check-dehydrated')));
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          clients.map(async (client, i) => {
            const streams = await Promise.all(
              Array.from({ length: 12 }, () => openStream(port, `/api/runs/${waiting[i]}/events`, client.token)),
            );
            const statuses = streams.map((stream) => stream.status);
            assert.deepEqual(
              [statuses.filter((st) => st === 200).length, statuses.filter((st) => st === 429).length],
              [8, 4],
              `8 streams, the rest refused: ${statuses.join(', ')}`,
            );
            await new Promise((resolve) => setTimeout(resolve, 100));
            for (const stream of streams) stream.drop();
          }),
        );
        // The companion hears of the drops before the next round counts the admins' streams.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      note('after event streams', await server.memory());

      // 2. Slow bodies: 200 requests dripping 1 kB per 100 ms for 3 s, then dropped; 50 that stall after the headers.
      await Promise.all([
        ...Array.from({ length: 200 }, (_, i) => slowBody(port, clients[i % ADMINS]!.token, 100, 3_000)),
        ...Array.from({ length: 50 }, (_, i) => slowBody(port, clients[i % ADMINS]!.token, 60_000, 3_000)),
      ]);
      note('after slow bodies', await server.memory());

      // 3. A flood of 20,000 refused or trivial requests: unknown paths, other spellings, bad tokens, malformed JSON.
      const flood: Array<(i: number) => Promise<unknown>> = [
        () => rawRequest(port, '/api/health'),
        () => rawRequest(port, '/api/nope', { token: clients[0]!.token }),
        () => rawRequest(port, '/API/runs', { token: clients[1]!.token }),
        () => rawRequest(port, '/api/runs', { token: 'x.y.z' }),
        (i) => rawRequest(port, '/api/runs', { method: 'POST', token: clients[i % ADMINS]!.token, body: '{"step":' }),
        (i) => rawRequest(port, `/no/such/page/${i}`),
      ];
      await inLanes(20_000, 50, (i) => flood[i % flood.length]!(i));
      note('after the flood', await server.memory());

      // 4. Deep bodies: 2,000 bodies of 60 kB nested 30,000 levels, arrays and objects.
      const deep = [
        `{"step":"check-dehydrated","params":{"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
        `{"params":{"name":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`,
      ];
      await inLanes(2_000, 20, (i) =>
        rawRequest(port, i % 2 ? '/api/steps/create-role-group/preview' : '/api/runs', {
          method: 'POST',
          token: clients[i % ADMINS]!.token,
          body: deep[i % 2]!,
        }).then((r) => assert.equal(r.status, 400)),
      );
      note('after deep bodies', await server.memory());

      // 5. Transcripts: three rounds of ten at once of 300 maximum-size runs, then 50 dropped after the first bytes.
      let size = 0;
      for (let round = 0; round < 3; round++) {
        const sizes = await Promise.all(Array.from({ length: 10 }, () => fullTranscript(port, clients[0]!.token)));
        size = sizes[0]!;
        assert.ok(
          sizes.every((s) => s === size),
          'every download is whole',
        );
      }
      await inLanes(50, 10, () => dropTranscript(port, clients[0]!.token));
      // A dropped download stops being written; give the last ones a moment to notice.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const end = await server.memory();
      note(`after transcripts (${(size / 1048576).toFixed(1)} MiB each)`, end);
      console.log(`  ${figures.join('; ')}`);

      assert.equal((await rawRequest(port, '/api/health')).status, 200, 'still serving');
      assert.ok(end.heapUsed! < baseline.heapUsed! + 16, `heap retained: ${figures.join('; ')}`);
      assert.ok(end.rss! < baseline.rss! + 160, `RSS bounded: ${figures.join('; ')}`);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
