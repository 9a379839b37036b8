/**
 * `npm run bench:api`: the companion's API on the sandbox, measured over loopback against a separate companion
 * process (so the load generator does not share its event loop):
 *   1. latency of a step run end to end: POST /api/runs -> the SSE `end` event (sequential runs, p50/p95);
 *   2. throughput of GET /api/runs/:id with 20 concurrent keep-alive clients for a fixed time (req/s, p50/p95).
 * Bounded in count and time; prints one table. The per-admin rate limit is raised for the throughput part (it would
 * otherwise answer 429 by design) and the run says so.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });

interface Reply { status: number; body: string }

/** One request over the keep-alive agent. */
function request(port: number, method: string, pathname: string, token?: string, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Starts `npm start`'s server (server/main.ts) on a free port with its own data folder. */
async function startCompanion(dataDir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'server', 'main.ts')], {
    env: { ...process.env, PORT: '0', RUNBOOK_DATA_DIR: dataDir, RUNBOOK_RATE_LIMIT: '1000000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /Runbook at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`companion exited (${code}) before listening: ${out}`)));
  });
  return {
    port,
    stop: () => new Promise((resolve) => { child.on('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

/** The p-th percentile (0-100) of sorted samples. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `step` RUNS times one after another, timing POST -> SSE `end`. */
async function runLatency(port: number, token: string, step: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const started = await request(port, 'POST', '/api/runs', token, { step });
    if (started.status !== 202) throw new Error(`POST /api/runs answered ${started.status}: ${started.body}`);
    const { id } = JSON.parse(started.body) as { id: string };
    const events = await request(port, 'GET', `/api/runs/${id}/events`, token);
    if (!events.body.includes('event: end')) throw new Error(`no end event for ${id}`);
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

/** CLIENTS loops of GET /api/runs/:id for SECONDS; returns per-request latencies and the error count. */
async function readThroughput(port: number, token: string, id: string): Promise<{ samples: number[]; errors: number; seconds: number }> {
  const samples: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const reply = await request(port, 'GET', `/api/runs/${id}`, token);
      if (reply.status === 200) samples.push(performance.now() - t);
      else errors += 1;
    }
  }));
  return { samples: samples.sort((a, b) => a - b), errors, seconds: (performance.now() - t0) / 1000 };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-'));
const companion = await startCompanion(dataDir);
try {
  const signIn = async (user: string) => JSON.parse((await request(companion.port, 'POST', '/api/sandbox/sign-in', undefined, { user })).body).accessToken as string;
  const contoso = await signIn('admin@contoso.onmicrosoft.com');
  const fabrikam = await signIn('admin@fabrikam.onmicrosoft.com');
  await runLatency(companion.port, contoso, 'check-impersonation-role'); // warm-up (JIT, SQLite pages)
  const rows: string[][] = [];
  for (const [user, token, step] of [['contoso', contoso, 'check-impersonation-role'], ['fabrikam', fabrikam, 'check-dehydrated']] as const) {
    const s = await runLatency(companion.port, token, step);
    rows.push([`POST /api/runs -> SSE end, ${step} (${user})`, `${RUNS} runs`, `p50 ${percentile(s, 50).toFixed(2)} ms`, `p95 ${percentile(s, 95).toFixed(2)} ms`]);
  }
  const target = JSON.parse((await request(companion.port, 'POST', '/api/runs', contoso, { step: 'check-impersonation-role' })).body).id as string;
  await request(companion.port, 'GET', `/api/runs/${target}/events`, contoso);
  const load = await readThroughput(companion.port, contoso, target);
  rows.push([`GET /api/runs/:id, ${CLIENTS} concurrent clients, ${SECONDS} s`, `${(load.samples.length / load.seconds).toFixed(0)} req/s`,
    `p50 ${percentile(load.samples, 50).toFixed(2)} ms`, `p95 ${percentile(load.samples, 95).toFixed(2)} ms (${load.errors} errors)`]);

  console.log(`\nCompanion API on the sandbox (${os.cpus().length} CPUs, ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString()})`);
  console.log('Loopback, separate companion process, per-admin rate limit raised to 1,000,000/min for the measurement.\n');
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(`| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
} finally {
  agent.destroy();
  await companion.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
