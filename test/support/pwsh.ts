/**
 * Finds pwsh for tests that need real PowerShell: NODE_POWERSHELL, else a local tool install in the temp folder, else
 * wherever the companion itself would find it (server/executors/powershell/find-pwsh.ts). Under CI a missing pwsh is a
 * failure, not a skip, so the safety tests can never silently stop running there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPwsh as findInstalledPwsh } from '../../server/executors/powershell/find-pwsh.ts';
import { processTable } from '../../server/executors/powershell/process-tree.ts';

const LOCAL_PWSH = path.join(tmpdir(), 'pwsh-tool', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');

/** Path of pwsh, or undefined (after saying so loudly) when there is none and this is not CI. */
export function findPwsh(): string | undefined {
  const installed = findInstalledPwsh();
  const candidate =
    process.env.NODE_POWERSHELL ||
    (existsSync(LOCAL_PWSH) ? LOCAL_PWSH : installed.found ? installed.executable : undefined);
  if (candidate && existsSync(candidate)) return candidate;
  if (process.env.CI === 'true')
    throw new Error('pwsh not found: set NODE_POWERSHELL (CI installs it into .tools/pwsh)');
  console.warn(
    `\n*** SKIPPING PowerShell round-trip tests: no pwsh (set NODE_POWERSHELL, install PowerShell 7.6, or put it at ${LOCAL_PWSH}) ***\n`,
  );
  return undefined;
}

/**
 * Runs `script` in a fresh pwsh (passed base64-encoded, so nothing in it is reinterpreted by a shell) and returns
 * stdout.
 */
export function runPwsh(pwsh: string, script: string): string {
  const encoded = Buffer.from(script, 'utf16le').toString('base64');
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`pwsh exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The PowerShell sessions a companion runs: its direct child processes, one per session (node-powershell spawns pwsh
 * itself; the .NET tool shim's own child is left out). On Linux each is also checked to be pwsh by its command line;
 * the process tables of Windows and macOS (process-tree.ts) carry no command lines, and there the companion's only
 * child processes are its sessions.
 */
export function pwshSessionsOf(companionPid: number): number[] {
  return processTable()
    .filter((row) => row.ppid === companionPid)
    .map((row) => row.pid)
    .filter((pid) => {
      if (process.platform !== 'linux') return true;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pwsh');
      } catch {
        return false;
      }
    });
}
