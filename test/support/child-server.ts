/**
 * Runs a companion entry point (`server/main.ts`, or the replica server) as a child process on 127.0.0.1, waits until
 * it listens, and lets a test read its resident memory, stop it gracefully or kill it outright (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ChildServer {
  port: number;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  log(): string;
  /** Resident set size of the process, bytes (Linux /proc). */
  rssBytes(): number;
  /** The replica server's memory after a full GC (needs `--expose-gc`), MiB by process.memoryUsage() field. */
  memory(): Promise<Record<string, number>>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit: nothing in the process gets to run. */
  kill(): Promise<void>;
}

/** Starts `entry` (relative to the repo root) with `env` added, and resolves once it printed its port. */
export function startChild(entry: string, env: Record<string, string>, { timeoutMs = 30_000, nodeArgs = [] as string[] } = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      child.stdout.off('data', onData);
      child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
      resolve(handle(child, Number(m[1]), () => output, exited));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
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
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    memory() {
      const from = log().length;
      child.kill('SIGUSR2');
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const m = /memory (\{.*\})\n/.exec(log().slice(from));
          if (m) resolve(JSON.parse(m[1]!) as Record<string, number>);
          else if (Date.now() - started < 10_000) return;
          else reject(new Error('no memory report within 10 s'));
          clearInterval(poll);
        }, 20);
      });
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
