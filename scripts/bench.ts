/**
 * `npm run bench`: measures the site, the companion on the sandbox and the PowerShell executor in one run, prints one
 * table (each figure as median and p95 over repeated runs) and prepends it, with the machine and date, to
 * bench/RESULTS.md, keeping earlier results below so regressions show. Builds the site first if dist/ is missing.
 * Not part of `npm test`: it takes a few minutes and its figures depend on the machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCompanion } from '../bench/companion.ts';
import { measureSiteBytes, PAGES, runLighthouse } from '../bench/site.ts';
import { GUIDES } from '../src/runbook/catalog.ts';
import { startChild, ROOT } from '../test/support/child-server.ts';
import { runTool } from './lib/spawn.ts';

const DIST = path.join(ROOT, 'dist');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const HEADER =
  '# Benchmark results\n\n`npm run bench` prepends each run here; older runs stay below so regressions show.\n';
const TWO_GIB = 2 * 1024 ** 3;
const ROUND_SECONDS = 5;

type Row = [area: string, figure: string, median: string, p95: string, n: string];

/** The value at quantile `q` (0..1), nearest rank. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const kb = (v: number) => `${(v / 1024).toFixed(1)} kB`;
const mib = (v: number) => `${(v / 1024 ** 2).toFixed(0)} MiB`;
/** A row whose values were measured `values.length` times. */
const stat = (area: string, figure: string, values: number[], fmt: (v: number) => string): Row => [
  area,
  figure,
  fmt(quantile(values, 0.5)),
  fmt(quantile(values, 0.95)),
  String(values.length),
];

/** Builds the site when dist/ is missing. */
function ensureBuilt(): void {
  if (existsSync(path.join(DIST, 'index.html'))) return;
  console.log('dist/ is missing: building the site (astro build)...');
  const r = runTool('astro', ['build']);
  if (r.status !== 0) throw new Error('astro build failed');
}

/** Site rows: bytes per page (deterministic, measured once) and Lighthouse for every guide. */
async function siteRows(notes: string[]): Promise<Row[]> {
  const bytes = measureSiteBytes(DIST);
  const rows: Row[] = [];
  for (const p of bytes.pages) {
    rows.push(['site', `${p.page} ${p.url}: HTML gzip`, kb(p.htmlGzip), kb(p.htmlGzip), '1']);
    rows.push(['site', `${p.page}: JS gzip before interaction (${p.jsFiles} files)`, kb(p.jsGzip), kb(p.jsGzip), '1']);
  }
  const missing = PAGES.filter(([, url]) => !bytes.pages.some((p) => p.url === url)).map(([name]) => name);
  if (missing.length > 0) notes.push(`Not built yet, so not measured: ${missing.join(', ')}.`);
  rows.push([
    'site',
    `JS added by sign-in (dynamic chunks: ${bytes.signInJsFiles.map((f) => path.basename(f)).join(', ') || 'none'})`,
    kb(bytes.signInJsGzip),
    kb(bytes.signInJsGzip),
    '1',
  ]);
  notes.push('Byte counts are deterministic for a build (gzip level 6, as the files are), so they are measured once.');
  if (bytes.signInJsFiles.length === 0)
    notes.push(
      "No chunk loaded on demand by the sign-in script was found: check that bench/site.ts still finds it (SignIn.astro's script).",
    );

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-site-'));
  const server = await startChild('server/main.ts', { PORT: '0', RUNBOOK_DATA_DIR: dataDir });
  try {
    const runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? '3');
    for (const guide of GUIDES) {
      const lh = await runLighthouse(`http://127.0.0.1:${server.port}${guide.path}`, runs);
      if (lh.failure) {
        rows.push(['site', `Lighthouse, ${guide.path}`, 'not measured', '-', '0']);
        notes.push(`Lighthouse could not run on ${guide.path}: ${lh.failure}`);
        continue;
      }
      const score = (v: number) => `${v} / 100`;
      rows.push(
        stat('site', `Lighthouse performance, ${guide.path} (mobile, simulated throttling)`, lh.performance, score),
      );
      rows.push(stat('site', `Lighthouse accessibility, ${guide.path}`, lh.accessibility, score));
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

/** Companion rows: a step end to end, then throughput at each concurrency side by side. */
async function companionRows(notes: string[]): Promise<Row[]> {
  const r = await benchCompanion({
    levels: [1, 10, 20, 50],
    roundSeconds: ROUND_SECONDS,
    rounds: Number(process.env.BENCH_ROUNDS ?? '5'),
  });
  const rows: Row[] = [
    stat(
      'companion (sandbox)',
      'step run end to end: POST /api/runs -> SSE end (check-impersonation-role)',
      r.stepRunMs,
      ms,
    ),
  ];
  for (const [level, rounds] of r.throughput) {
    // For a rate the bad tail is the low end, so the p95 column holds the 5th percentile (the slowest rounds).
    const rps = rounds.map((x) => x.rps);
    rows.push([
      'companion (sandbox)',
      `GET /api/runs/:id, ${level} concurrent admins: requests/s per ${ROUND_SECONDS} s round (p95 column: 5th percentile)`,
      `${quantile(rps, 0.5).toFixed(0)}/s`,
      `${quantile(rps, 0.05).toFixed(0)}/s`,
      String(rps.length),
    ]);
    rows.push(
      stat(
        'companion (sandbox)',
        `GET /api/runs/:id, ${level} concurrent admins: latency`,
        rounds.flatMap((x) => x.latencyMs),
        ms,
      ),
    );
    const errors = rounds.reduce((n, x) => n + x.errors, 0);
    if (errors > 0) notes.push(`${errors} non-200 answers at ${level} concurrent admins.`);
  }
  notes.push(
    `Companion RSS ${mib(r.rssBefore)} before the load, ${mib(r.rssAfter)} after (one process, 50 signed-in admins, rate limit raised for the measurement).`,
  );
  return rows;
}

/** PowerShell rows, or a note saying why there are none. */
async function pwshRows(notes: string[]): Promise<Row[]> {
  const { pwsh } = await import('../test/support/pwsh-rig.ts');
  if (!pwsh) {
    notes.push('PowerShell executor not measured: no pwsh (set NODE_POWERSHELL).');
    return [];
  }
  const { benchPowerShell } = await import('./../bench/pwsh.ts');
  const r = await benchPowerShell();
  const warm = quantile(r.warmMs, 0.5);
  const plain = quantile(r.directViaNodePowershellMs, 0.5);
  const area = 'PowerShell executor (stand-in module)';
  const rss = [r.rssBytes, ...r.coldRssBytes];
  notes.push(
    `PowerShell overhead ratio = companion warm round trip (median) / the same Get-OrganizationConfig timed inside one pwsh (${ms(r.directInPwshMs)} median of ${r.warmMs.length}); ` +
      `through node-powershell as plain text it takes ${ms(plain)} (median), so the helper envelope costs ${(warm / plain).toFixed(2)}x of that.`,
  );
  return [
    stat(area, 'cold session: spawn + import + Connect-ExchangeOnline', r.coldMs, ms),
    stat(area, 'warm step round trip (Get-OrganizationConfig)', r.warmMs, ms),
    stat(area, 'same cmdlet as plain text through node-powershell', r.directViaNodePowershellMs, ms),
    [
      area,
      'overhead ratio over the cmdlet inside one pwsh',
      `${(warm / r.directInPwshMs).toFixed(1)}x`,
      `${(quantile(r.warmMs, 0.95) / r.directInPwshMs).toFixed(1)}x`,
      String(r.warmMs.length),
    ],
    stat(area, 'RSS per session (pwsh process tree)', rss, mib),
    [
      area,
      'sessions that fit in 2 GiB (by RSS)',
      String(Math.floor(TWO_GIB / quantile(rss, 0.5))),
      String(Math.floor(TWO_GIB / quantile(rss, 0.95))),
      String(rss.length),
    ],
  ];
}

/** The machine, for the results' heading. */
function machine(loadBefore: number[]): string {
  const mem = (os.totalmem() / 1024 ** 3).toFixed(1);
  return (
    `${os.availableParallelism()} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${mem} GiB memory, Node ${process.version}, ` +
    `${os.type()} ${os.release()}; load average before the run ${loadBefore.map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min)`
  );
}

/** The table as Markdown. */
function table(rows: Row[]): string {
  const lines = ['| Area | Figure | Median | p95 | Runs |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

const loadBefore = os.loadavg();
const started = new Date();
ensureBuilt();
const notes: string[] = [];
const rows = [...(await siteRows(notes)), ...(await companionRows(notes)), ...(await pwshRows(notes))];
const loadAfter = os.loadavg();
if (Math.max(loadBefore[0]!, loadAfter[0]!) > os.availableParallelism()) {
  notes.push(
    `The machine was busy with other work during this run (load average ${loadBefore[0]!.toFixed(1)} before, ${loadAfter[0]!.toFixed(1)} after, on ${os.availableParallelism()} CPUs): latencies are pessimistic.`,
  );
}
const section = [
  `## ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine(loadBefore)}. Took ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s.`,
  '',
  table(rows),
  '',
  ...notes.map((n) => `- ${n}`),
  '',
].join('\n');
console.log(`\n${section}`);
const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8').replace(HEADER, '').trimStart() : '';
writeFileSync(RESULTS, `${HEADER}\n${section}${previous ? `\n${previous}` : ''}`);
console.log(`Written to ${path.relative(ROOT, RESULTS)}.`);
