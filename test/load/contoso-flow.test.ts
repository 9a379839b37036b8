/**
 * Load: 50 admins, each signed in to their own copy of contoso (as in 2023), run the whole seed flow over HTTP at
 * the same time, again and again for LOAD_SECONDS (120 by default, 30 under CI=true; always 50 admins): reset ->
 * check role -> create (dehydrated error) -> enable -> enable again -> wait for IsDehydrated False -> create ->
 * duplicate (error) -> remove. Every run must end as the flow expects (zero errors), every admin's records must be
 * exactly the runs that admin started (none lost, none duplicated, none foreign), and the companion's memory must stay
 * stable: the heap still in use after a full GC may not grow from a quarter of the way in to the end (RSS is printed
 * too, but it also counts the room V8 reserves, which grows with load and is no leak).
 * The companion runs as its own process (test/support/replica-server.ts) with short sandbox delays; its rate limit is
 * raised because these admins click far faster than people (the limiter has its own test in
 * test/server/http/app.test.ts).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { RunRecord } from '../../src/runbook/api.ts';
import { signIn, type AdminClient } from '../support/api-client.ts';
import { startChild } from '../support/child-server.ts';
import { replicaAdmins } from '../support/replica-tenants.ts';
import { checkStore } from '../support/store-check.ts';
import { tempDataDir } from '../support/server.ts';

const ADMINS = 50;
const SECONDS = Number(process.env.LOAD_SECONDS ?? (process.env.CI === 'true' ? 30 : 120));
// Each admin's transcript lists up to 1000 runs; 120 flows are 960.
const MAX_ROUNDS = 120;
const MEMBERS = ['svc-ews@contoso.onmicrosoft.com'];

/** One step of the flow and how it must end. */
interface FlowStep {
  step: string;
  params?: Record<string, unknown>;
  status: 'succeeded' | 'failed';
  known?: string;
}

const GROUP = { name: 'EWS Application Impersonation', members: MEMBERS };
const FLOW: FlowStep[] = [
  { step: 'check-impersonation-role', status: 'succeeded' },
  { step: 'create-role-group', params: GROUP, status: 'failed', known: 'organization-not-customized' },
  { step: 'enable-customization', status: 'succeeded' },
  { step: 'enable-customization', status: 'succeeded' },
  { step: 'check-dehydrated', status: 'succeeded' },
  { step: 'create-role-group', params: GROUP, status: 'succeeded' },
  { step: 'create-role-group', params: GROUP, status: 'failed', known: 'role-group-exists' },
  { step: 'remove-role-group', params: { name: GROUP.name }, status: 'succeeded' },
];

/** Runs the flow once as `admin`, recording every run it started; returns the problems seen. */
async function flowOnce(admin: AdminClient, started: Map<string, string>): Promise<string[]> {
  const reset = await admin.post('/api/sandbox/reset', {});
  if (reset.status !== 200) return [`${admin.upn}: reset answered ${reset.status} ${reset.text}`];
  const problems: string[] = [];
  for (const s of FLOW) {
    const run = await admin.run(s.step, s.params ?? {});
    started.set(run.id, run.status);
    if (run.status !== s.status || run.error?.known !== s.known) {
      problems.push(
        `${admin.upn}: ${s.step} ended ${run.status} (${run.error?.known ?? run.error?.message ?? 'no error'}), expected ${s.status}${s.known ? ` (${s.known})` : ''}`,
      );
      break;
    }
  }
  return problems;
}

test(
  `${ADMINS} admins run the whole contoso flow concurrently for ${SECONDS} s: zero errors, no lost or duplicated records, stable memory`,
  { timeout: (SECONDS + 120) * 1000 },
  async () => {
    const dataDir = tempDataDir();
    const server = await startChild(
      'test/support/replica-server.ts',
      {
        PORT: '0',
        RUNBOOK_DATA_DIR: dataDir,
        REPLICAS: String(ADMINS),
        RUNBOOK_RATE_LIMIT: '100000',
        RUNBOOK_CUSTOMIZATION_DELAY: '0.3',
        RUNBOOK_PROPAGATION_DELAY: '0.3',
        REPLICA_WAIT_MS: '100',
      },
      { nodeArgs: ['--expose-gc'] },
    );
    try {
      const admins = await Promise.all(replicaAdmins(ADMINS).map((a) => signIn(server.port, a.upn)));
      const start = await server.memory();
      const deadline = Date.now() + SECONDS * 1000;
      // A quarter of the way in, once caches and the JIT have settled.
      const warm = new Promise<Record<string, number>>((resolve) =>
        setTimeout(() => resolve(server.memory()), SECONDS * 250),
      );
      const started = admins.map(() => new Map<string, string>());
      const errors: string[] = [];
      const rounds = await Promise.all(
        admins.map(async (admin, i) => {
          let n = 0;
          while (Date.now() < deadline && n < MAX_ROUNDS && errors.length < 20) {
            try {
              errors.push(...(await flowOnce(admin, started[i]!)));
            } catch (err) {
              errors.push(`${admin.upn}: ${(err as Error).message}`);
            }
            n += 1;
          }
          return n;
        }),
      );
      const end = await server.memory();
      const atWarm = await warm;
      const total = started.reduce((n, m) => n + m.size, 0);
      const mem = (m: Record<string, number>) =>
        `RSS ${m.rss!.toFixed(0)} MiB, heap used ${m.heapUsed!.toFixed(1)} MiB`;
      console.log(
        `  ${ADMINS} admins, ${SECONDS} s: ${rounds.reduce((a, b) => a + b, 0)} flows (min ${Math.min(...rounds)} per admin), ${total} runs, ` +
          `${(total / SECONDS).toFixed(1)} runs/s; companion after GC: start ${mem(start)}; warm ${mem(atWarm)}; end ${mem(end)}`,
      );
      assert.deepEqual(errors, [], 'zero errors');
      assert.ok(Math.min(...rounds) >= 1, 'every admin completed the flow');

      for (const [i, admin] of admins.entries()) {
        const transcript = (await admin.get('/api/transcript?format=json')).json as { runs: RunRecord[] };
        const ids = transcript.runs.map((r) => r.id);
        assert.equal(new Set(ids).size, ids.length, `${admin.upn}: no duplicated record`);
        assert.deepEqual(
          [...ids].sort(),
          [...started[i]!.keys()].sort(),
          `${admin.upn}: exactly the runs this admin started`,
        );
        for (const r of transcript.runs) {
          assert.equal(r.status, started[i]!.get(r.id), `${admin.upn}: run ${r.id} recorded as it ended`);
          assert.equal(r.actor.upn, admin.upn);
        }
      }
      assert.ok(
        end.heapUsed! < atWarm.heapUsed! * 1.25 + 4,
        `heap stable: ${atWarm.heapUsed} MiB warm, ${end.heapUsed} MiB at the end`,
      );
      assert.ok(
        end.rss! < atWarm.rss! * 2 + 64,
        `no gross RSS growth: ${atWarm.rss} MiB warm, ${end.rss} MiB at the end`,
      );
    } finally {
      await server.stop();
    }
    assert.deepEqual(checkStore(dataDir), { integrity: 'ok', running: 0 });
    rmSync(dataDir, { recursive: true, force: true });
  },
);
