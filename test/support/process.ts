/** Whether a process still runs, on every platform the tests run on. */
import { existsSync, readFileSync } from 'node:fs';

/** True while the process runs; on Linux a zombie (a killed child of a killed pwsh, not yet reaped) counts as gone. */
export function running(pid: number): boolean {
  if (process.platform === 'linux') {
    if (!existsSync(`/proc/${pid}`)) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  }
  try {
    // Signal 0 only asks whether the process exists (on Windows too).
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
