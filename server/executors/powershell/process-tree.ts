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

/** Every process as [pid, parent pid]: from /proc on Linux, from `ps` on macOS and other Unixes. */
function parentLinks(): Array<[number, number]> {
  if (process.platform === 'linux') {
    return readdirSync('/proc').map((entry) => [Number(entry), Number(statFields(Number(entry))?.[1])] as [number, number]);
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  return (ps.stdout ?? '').trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
}

/** The pid and all its descendants (on Windows only the pid itself: taskkill /T walks the tree there). */
export function processTree(root: number): number[] {
  if (process.platform === 'win32') return [root];
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentLinks()) {
    if (Number.isInteger(pid) && Number.isInteger(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
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
