/**
 * Measures the companion on the sandbox, as its own process on 127.0.0.1 (the replica server: 50 contoso copies, one
 * admin each, so concurrent admins are distinct admins): a step run end to end (POST /api/runs -> event stream ->
 * `end`), and the API's throughput for GET /api/runs/:id with 1, 10 and 50 concurrent signed-in admins, side by side.
 * The rate limit is raised for the measurement (it would otherwise be what is measured).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signIn, timed, type AdminClient } from '../test/support/api-client.ts';
import { startChild } from '../test/support/child-server.ts';
import { replicaAdmins } from '../test/support/replica-tenants.ts';

export interface ThroughputRound {
  /** Requests per second over the round. */
  rps: number;
  /** Every request's latency in the round, ms. */
  latencyMs: number[];
  errors: number;
}

export interface CompanionBenchResult {
  /** check-impersonation-role from POST to the `end` event, per run, ms. */
  stepRunMs: number[];
  /** Per concurrency level, one entry per round. */
  throughput: Map<number, ThroughputRound[]>;
  /** Resident memory of the companion before and after, bytes. */
  rssBefore: number;
  rssAfter: number;
}

export interface CompanionBenchOptions {
  runs?: number;
  levels?: number[];
  rounds?: number;
  roundSeconds?: number;
}

/** Runs the measurements against a fresh companion process. */
export async function benchCompanion({
  runs = 40,
  levels = [1, 10, 50],
  rounds = 3,
  roundSeconds = 5,
}: CompanionBenchOptions = {}): Promise<CompanionBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-'));
  const server = await startChild('test/support/replica-server.ts', {
    PORT: '0',
    RUNBOOK_DATA_DIR: dataDir,
    REPLICAS: String(Math.max(...levels)),
    RUNBOOK_RATE_LIMIT: '1000000',
  });
  try {
    const admins: AdminClient[] = [];
    for (const a of replicaAdmins(Math.max(...levels))) admins.push(await signIn(server.port, a.upn));
    const rssBefore = server.rssBytes();
    const stepRunMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [ms, record] = await timed(() => admins[0]!.run('check-impersonation-role'));
      if (record.status !== 'succeeded') throw new Error(`bench step ended ${record.status}`);
      stepRunMs.push(ms);
    }
    // Every admin gets a finished run of its own to read.
    const runIds = await Promise.all(admins.map(async (a) => (await a.run('check-impersonation-role')).id));
    const throughput = new Map<number, ThroughputRound[]>();
    for (let round = 0; round < rounds; round++) {
      for (const level of levels) {
        const list = throughput.get(level) ?? [];
        list.push(await readLoad(admins.slice(0, level), runIds, roundSeconds));
        throughput.set(level, list);
      }
    }
    return { stepRunMs, throughput, rssBefore, rssAfter: server.rssBytes() };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each admin reads its own run back to back for `seconds` (and at most 100 000 requests in all). */
async function readLoad(admins: AdminClient[], runIds: string[], seconds: number): Promise<ThroughputRound> {
  const latencyMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    admins.map(async (admin, i) => {
      while (performance.now() < deadline && latencyMs.length < 100_000) {
        const [ms, reply] = await timed(() => admin.get(`/api/runs/${runIds[i]}`));
        if (reply.status === 200) latencyMs.push(ms);
        else errors += 1;
      }
    }),
  );
  return { rps: latencyMs.length / ((performance.now() - started) / 1000), latencyMs, errors };
}
