/**
 * Runs a companion entry point (`server/main.ts`, or the replica server) as a child process on 127.0.0.1, waits until
 * it listens, and lets a test read its resident memory, stop it gracefully or kill it outright (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { processTreeRssBytes } from '../../server/executors/powershell/process-tree.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ChildServer {
  port: number;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  log(): string;
  /** Resident set size of the process, bytes (the working set on Windows). */
  rssBytes(): number;
  /**
   * The replica server's memory after a full GC (needs `--expose-gc`), MiB by process.memoryUsage() field; asked over
   * IPC.
   */
  memory(): Promise<Record<string, number>>;
  /**
   * SIGTERM, then waits for the exit (graceful on Linux and macOS; Windows has no SIGTERM: Node terminates the
   * process).
   */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit: nothing in the process gets to run. */
  kill(): Promise<void>;
}

/** Starts `entry` (relative to the repo root) with `env` added, and resolves once it printed its port. */
export function startChild(
  entry: string,
  env: Record<string, string>,
  { timeoutMs = 30_000, nodeArgs = [] as string[] } = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    // The IPC channel carries the replica server's memory reports (signals such as SIGUSR2 do not exist on Windows).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Piped above (the IPC entry makes their type nullable).
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // main.ts prints "Runbook at http://127.0.0.1:<port>/", the replica server "listening <port>".
      const m = /(?:127\.0\.0\.1:|listening )(\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      stdout.off('data', onData);
      stdout.on('data', (c: Buffer) => {
        output += c.toString('utf8');
      });
      resolve(handle(child, Number(m[1]), () => output, exited));
    };
    stdout.on('data', onData);
    stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/** The handle for a started child. */
function handle(child: ChildProcess, port: number, log: () => string, exited: Promise<void>): ChildServer {
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    port,
    pid: child.pid!,
    log,
    rssBytes: () => processTreeRssBytes(child.pid!),
    memory() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error('no memory report within 10 s'));
        }, 10_000);
        const onMessage = (message: unknown) => {
          const report = message as { memory?: Record<string, number> };
          if (!report.memory) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(report.memory);
        };
        child.on('message', onMessage);
        child.send('memory');
      });
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
