/**
 * Measures the PowerShell executor on this machine, against the stand-in module and the sandbox simulator:
 * cold start (spawn + helper import + Connect-ExchangeOnline), a warm step round trip, the companion's overhead over
 * the same cmdlet called directly in one pwsh, and resident memory per warm session (whole process tree).
 * `npx node bench/pwsh.ts` prints a table; `benchPowerShell()` returns the figures for other benchmark scripts.
 */
import { PowerShell } from 'node-powershell';
import type { Actor, CmdletCall } from '../src/runbook/core/cmdlets.ts';
import { PwshProcess } from '../server/executors/powershell/pwsh-process.ts';
import { findPwsh } from '../server/executors/powershell/find-pwsh.ts';
import { ExchangeSimulator } from '../server/sandbox/simulator.ts';
import { STAND_IN_MANIFEST, exchangeToken, startRig } from '../test/support/pwsh-rig.ts';

// Terminal mode codes (ESC [ ...) that pwsh writes around its output.
// eslint-disable-next-line no-control-regex -- matching the ESC of those codes is the point
const TERMINAL_CODES = /\u001b\[[?0-9;]*[A-Za-z]/g;

const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const CALL: CmdletCall = { cmdlet: 'Get-OrganizationConfig', params: {} };

export interface PwshBenchResult {
  /** Spawn + helper import + connect, per run, ms. */
  coldMs: number[];
  /** Spawn + helper import only (no connect), per run, ms. */
  spawnMs: number[];
  /** Node -> helper -> stand-in -> simulator -> back, per call, ms. */
  warmMs: number[];
  /** The same cmdlet timed inside one pwsh (no Node, no helper), median per call, ms. */
  directInPwshMs: number;
  /** The cmdlet sent as plain text through node-powershell (no helper envelope), per call, ms. */
  directViaNodePowershellMs: number[];
  /** Resident memory of one warm session's process tree, bytes. */
  rssBytes: number;
  /** The same, for each freshly connected cold session, bytes. */
  coldRssBytes: number[];
}

/** Runs the measurements: `cold` fresh sessions, `calls` warm calls. */
export async function benchPowerShell({ cold = 5, calls = 50 } = {}): Promise<PwshBenchResult> {
  const simulator = new ExchangeSimulator();
  const rig = await startRig((tid, call) => simulator.invoke(tid, call));
  try {
    const coldMs: number[] = [];
    const coldRssBytes: number[] = [];
    for (let i = 0; i < cold; i++) {
      const actor: Actor = { tid: CONTOSO, oid: `bench-cold-${i}`, upn: 'admin@contoso.onmicrosoft.com' };
      coldMs.push(await timed(() => rig.executor.warm({ actor, exchangeToken: exchangeToken(actor) })));
      coldRssBytes.push(rig.executor.processOf(actor)!.rssBytes());
      await rig.executor.end(actor);
    }
    const spawnMs: number[] = [];
    for (let i = 0; i < cold; i++) {
      let proc: PwshProcess | undefined;
      spawnMs.push(
        await timed(
          async () => (proc = await PwshProcess.start({ executable: findPwsh().executable, startTimeoutMs: 60_000 })),
        ),
      );
      proc?.kill();
    }
    const actor: Actor = { tid: CONTOSO, oid: 'bench-warm', upn: 'admin@contoso.onmicrosoft.com' };
    const exo = await rig.executor.session({ actor, exchangeToken: exchangeToken(actor) });
    await exo.invoke(CALL);
    const warmMs: number[] = [];
    for (let i = 0; i < calls; i++) warmMs.push(await timed(() => exo.invoke(CALL)));
    const rssBytes = rig.executor.processOf(actor)!.rssBytes();
    const direct = await measureDirect(rig.bridge.env, calls);
    return { coldMs, spawnMs, warmMs, rssBytes, coldRssBytes, ...direct };
  } finally {
    await rig.close();
  }
}

/** Times the cmdlet in one plain pwsh with the stand-in connected: inside pwsh, and as text through node-powershell. */
async function measureDirect(bridgeEnv: Record<string, string>, calls: number) {
  // Values reach pwsh through the environment; the command text below is constant (benchmark-only test token).
  const shell = new PowerShell({
    // Without it node-powershell would start Windows PowerShell 5.1 (powershell.exe) on Windows.
    executable: findPwsh().executable,
    executableOptions: { '-NoProfile': true, '-NonInteractive': true },
    spawnOptions: {
      env: {
        ...process.env,
        ...bridgeEnv,
        BENCH_MANIFEST: STAND_IN_MANIFEST,
        BENCH_TOKEN: exchangeToken({ tid: CONTOSO, oid: 'bench-direct', upn: 'admin@contoso.onmicrosoft.com' }),
        BENCH_CALLS: String(calls),
      },
    },
    throwOnInvocationError: false,
  });
  try {
    await shell.invoke(
      'Import-Module $env:BENCH_MANIFEST; Connect-ExchangeOnline -AccessToken $env:BENCH_TOKEN -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false',
    );
    await shell.invoke('$null = Get-OrganizationConfig');
    const inside = await shell.invoke(
      '$n = [int]$env:BENCH_CALLS; $t = foreach ($i in 1..$n) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = Get-OrganizationConfig; $sw.Elapsed.TotalMilliseconds }; ($t | Sort-Object)[[int]($n / 2)]',
    );
    // stdout also holds terminal mode codes around the figure.
    const directInPwshMs = Number((inside.stdout?.toString('utf8') ?? '').replace(TERMINAL_CODES, '').trim());
    const directViaNodePowershellMs: number[] = [];
    for (let i = 0; i < calls; i++)
      directViaNodePowershellMs.push(
        await timed(() => shell.invoke('Get-OrganizationConfig | ConvertTo-Json -Compress')),
      );
    return { directInPwshMs, directViaNodePowershellMs };
  } finally {
    await shell.dispose();
  }
}

/** Milliseconds `task` took. */
async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/** The value at quantile `q` (0..1). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

if (import.meta.main) {
  const r = await benchPowerShell();
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const warm = quantile(r.warmMs, 0.5);
  console.log(
    `cold (spawn + import + connect), median of ${r.coldMs.length}: ${ms(quantile(r.coldMs, 0.5))} (min ${ms(Math.min(...r.coldMs))}, max ${ms(Math.max(...r.coldMs))})`,
  );
  console.log(`  of which spawn + helper import, median: ${ms(quantile(r.spawnMs, 0.5))}`);
  console.log(`warm step round trip, median of ${r.warmMs.length}: ${ms(warm)} (p95 ${ms(quantile(r.warmMs, 0.95))})`);
  console.log(
    `same cmdlet inside one pwsh: ${ms(r.directInPwshMs)} -> companion overhead ratio ${(warm / r.directInPwshMs).toFixed(2)}x`,
  );
  const plain = quantile(r.directViaNodePowershellMs, 0.5);
  console.log(
    `same cmdlet as plain text through node-powershell: ${ms(plain)} -> helper envelope ratio ${(warm / plain).toFixed(2)}x`,
  );
  console.log(`RSS of one warm session (pwsh process tree): ${(r.rssBytes / 1024 / 1024).toFixed(0)} MiB`);
}
