/**
 * A pwsh process and its descendants. The .NET tool shim (`dotnet tool install PowerShell`) starts pwsh.dll as a
 * child process, so killing only the pid node-powershell spawned would leave the real PowerShell running.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Reads `/proc/<pid>/stat` fields after the command name (which may itself contain spaces or parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The pid and all its descendants (Linux: from /proc; elsewhere only the pid itself). */
export function processTree(root: number): number[] {
  if (process.platform !== 'linux') return [root];
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const ppid = Number(statFields(pid)?.[1]);
    if (!Number.isInteger(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** Kills the process and its descendants at once, without giving them a chance to finish what they are doing. */
export function killProcessTree(root: number): void {
  // kill(-1) or kill(0) would signal every process of the user or the whole group: only ever a real pid.
  if (!Number.isInteger(root) || root <= 1) throw new RangeError(`refusing to kill process tree of pid ${root}`);
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(root), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  // Collect first, then kill: a child whose parent died is re-parented and would drop out of the tree.
  for (const pid of processTree(root)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Resident memory of the process and its descendants in bytes (Linux only; 0 elsewhere). */
export function processTreeRssBytes(root: number): number {
  if (process.platform !== 'linux') return 0;
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // Exited while we were reading.
    }
  }
  return total;
}
