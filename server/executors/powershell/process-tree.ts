/**
 * A pwsh process and its descendants. The .NET tool shim (`dotnet tool install PowerShell`) starts pwsh.dll as a
 * child process, so killing only the pid node-powershell spawned would leave the real PowerShell running.
 * Where the process table comes from: /proc on Linux, `ps` on macOS and other Unixes, and on Windows Windows
 * PowerShell's Get-CimInstance Win32_Process (part of every Windows 10 and 11; slow, about a second, so only the
 * memory figures and tests use it: killing goes through `taskkill /T`, which walks the tree itself).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One process: its pid, its parent's, and its resident memory in bytes when the table carries it (not on Linux). */
export interface ProcessRow {
  pid: number;
  ppid: number;
  rssBytes?: number;
}

/** The program that lists every process as `pid ppid memory` lines, and the memory column's unit in bytes. */
export interface ProcessTableCommand {
  command: string;
  args: string[];
  bytesPerUnit: number;
}

/** A Windows program in System32, by full path, so a same-named file earlier on PATH is never started instead. */
function system32(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  return path.win32.join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', ...parts);
}

/** How to list processes on `platform` (Linux reads /proc instead). The script is constant: nothing is spliced in. */
export function processTableCommand(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv = process.env,
): ProcessTableCommand {
  if (platform === 'win32') {
    return {
      command: system32(env, 'WindowsPowerShell', 'v1.0', 'powershell.exe'),
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Get-CimInstance Win32_Process | ForEach-Object ' +
          "{ '{0} {1} {2}' -f $_.ProcessId, $_.ParentProcessId, $_.WorkingSetSize }",
      ],
      // WorkingSetSize is in bytes; the working set is what Windows calls resident memory.
      bytesPerUnit: 1,
    };
  }
  // ps reports rss in KiB on macOS and the BSDs.
  return { command: 'ps', args: ['-A', '-o', 'pid=,ppid=,rss='], bytesPerUnit: 1024 };
}

/** Parses `pid ppid memory` lines, skipping any line that is not three whole numbers. */
export function parseProcessTable(stdout: string, bytesPerUnit: number): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/).map(Number);
    if (fields.length === 3 && fields.every(Number.isInteger))
      rows.push({ pid: fields[0]!, ppid: fields[1]!, rssBytes: fields[2]! * bytesPerUnit });
  }
  return rows;
}

/** Reads `/proc/<pid>/stat` fields after the command name (which may itself contain spaces or parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every process on this machine. */
export function processTable(): ProcessRow[] {
  if (process.platform === 'linux') {
    return readdirSync('/proc').map((entry) => ({ pid: Number(entry), ppid: Number(statFields(Number(entry))?.[1]) }));
  }
  const { command, args, bytesPerUnit } = processTableCommand(process.platform);
  const listed = spawnSync(command, args, { encoding: 'utf8', windowsHide: true, timeout: 30_000 });
  return parseProcessTable(listed.stdout ?? '', bytesPerUnit);
}

/** `root` and its descendants in `rows`, parents before children. */
export function descendants(root: number, rows: ProcessRow[]): ProcessRow[] {
  const children = new Map<number, ProcessRow[]>();
  for (const row of rows) {
    if (Number.isInteger(row.pid) && Number.isInteger(row.ppid) && row.pid !== row.ppid)
      children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  }
  const tree = [rows.find((row) => row.pid === root) ?? { pid: root, ppid: NaN }];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
  return tree;
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  return descendants(root, processTable()).map((row) => row.pid);
}

/** Kills the process and its descendants at once, without giving them a chance to finish what they are doing. */
export function killProcessTree(root: number): void {
  // kill(-1) or kill(0) would signal every process of the user or the whole group: only ever a real pid.
  if (!Number.isInteger(root) || root <= 1) throw new RangeError(`refusing to kill process tree of pid ${root}`);
  if (process.platform === 'win32') {
    spawnSync(system32(process.env, 'taskkill.exe'), ['/pid', String(root), '/T', '/F'], {
      stdio: 'ignore',
      windowsHide: true,
    });
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

/** Resident memory of the process and its descendants in bytes (the working set on Windows). */
export function processTreeRssBytes(root: number): number {
  const tree = descendants(root, processTable());
  if (process.platform !== 'linux') return tree.reduce((sum, row) => sum + (row.rssBytes ?? 0), 0);
  let total = 0;
  for (const { pid } of tree) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // Exited while we were reading.
    }
  }
  return total;
}
