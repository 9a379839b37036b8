/**
 * One pwsh process driven through node-powershell, with node-powershell 5's traps defused:
 * - it does no escaping: we only ever send constant text plus base64 (envelope.ts), never its template tag;
 * - its invocation timeout does not stop the command: we keep our own timer and SIGKILL the process tree;
 * - `dispose()` resolves the call in flight as a success: a call only succeeds with an envelope from the helper;
 * - a shell that dies before the first invoke rejects a promise nobody awaits, which crashes Node: we handle it;
 * - `history` keeps every command (a connect carries the token): we empty it after every call, and its debug
 *   logger (DEBUG=*) would print them: we switch that off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { PowerShell } from 'node-powershell';
import type { CmdletResult } from '../../../src/runbook/core/cmdlets.ts';
import { CallInterruptedError } from '../types.ts';
import { parseEnvelope, requestLine, type HelperRequest } from './envelope.ts';
import { killProcessTree, processTreeRssBytes } from './process-tree.ts';

/** The helper module every process imports (its path reaches pwsh through the environment, not through script text). */
export const COMPANION_MODULE = path.resolve(import.meta.dirname, '..', '..', 'pwsh', 'CompanionStep.psm1');

export interface PwshProcessOptions {
  /** pwsh executable, used as given (the executor defaults it to what find-pwsh.ts finds). */
  executable: string;
  /** Module folders searched before the usual ones (RUNBOOK_PSMODULEPATH), e.g. the stand-in module. */
  modulePath?: string;
  /** Extra environment for the process (e.g. the sandbox bridge's address and secret for the stand-in module). */
  env?: Record<string, string>;
  /** How long starting pwsh and importing the helper may take. */
  startTimeoutMs: number;
}

/** What the helper reports about its process. */
export interface PwshInfo {
  pid: number;
  pwsh: string;
  allowed: string[];
  exoVersion: string | null;
  exoPath: string | null;
  exoStandIn: boolean;
}

// Temp folders of live processes, removed when Node exits without having closed them (e.g. a test that never did).
const liveTempDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * node-powershell resolves its executable from the process-wide NODE_POWERSHELL before the `executable` option, so an
 * executor given another pwsh would silently start the global one; this spawns exactly the executable it is given.
 */
class ExactPowerShell extends PowerShell {
  protected override setExecutable({ executable }: { executable?: string }): string {
    if (!executable) throw new Error('ExactPowerShell needs an executable');
    return executable;
  }
}

/** A started pwsh with the helper module imported, running one call at a time. */
export class PwshProcess {
  readonly #shell: PowerShell;
  readonly #child: ChildProcess;
  readonly #tempDir: string;
  #exited = false;
  #killed = false;
  #info: PwshInfo | undefined;

  private constructor(options: PwshProcessOptions) {
    this.#tempDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-pwsh-'));
    liveTempDirs.add(this.#tempDir);
    this.#shell = new ExactPowerShell({
      executable: options.executable,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      spawnOptions: { env: processEnvironment(options, this.#tempDir) },
      throwOnInvocationError: false,
    });
    // node-powershell keeps these private; we need the child to watch its exit and the pid to kill its tree.
    this.#child = Reflect.get(this.#shell, 'process') as ChildProcess;
    // With DEBUG=* its debug logger would print every command (a connect's carries the token) and every output.
    const debuggers = Reflect.get(this.#shell, 'debuggers') as Record<'command' | 'output', { enabled: boolean }>;
    debuggers.command.enabled = false;
    debuggers.output.enabled = false;
    const exitPromise = Reflect.get(this.#shell, 'exitPromise') as Promise<void>;
    // Without a handler, a pwsh that fails to start or dies while idle rejects this promise unhandled and Node exits.
    exitPromise.catch(() => undefined);
    this.#shell.streams.stdin.on('error', () => undefined);
    // 'error' without 'exit' when pwsh could not be spawned at all.
    for (const event of ['exit', 'error'] as const) {
      this.#child.once(event, () => {
        this.#exited = true;
        this.#removeTempDir();
      });
    }
  }

  /** Starts pwsh, imports the helper module and reads its self-description. */
  static async start(options: PwshProcessOptions): Promise<PwshProcess> {
    const proc = new PwshProcess(options);
    try {
      const imported = await proc.#invoke(
        'Import-Module -Name $env:RUNBOOK_COMPANION_MODULE -ErrorAction Stop',
        options.startTimeoutMs,
      );
      if (imported === undefined)
        throw new Error(
          `PowerShell did not start (${options.executable}): is PowerShell 7.6 installed there? (NODE_POWERSHELL, else pwsh on PATH or in its usual install folder; npm run doctor checks.)`,
        );
      const info = await proc.call({ op: 'info' }, options.startTimeoutMs);
      if (!info.ok) throw new Error(`The companion's PowerShell helper did not load: ${info.error.message}`);
      proc.#info = info.data as PwshInfo;
      return proc;
    } catch (error) {
      proc.kill();
      if (error instanceof CallInterruptedError) {
        throw new Error(`PowerShell did not start within ${options.startTimeoutMs} ms (${options.executable}).`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** The helper's description of this process (pwsh version, pid, which ExchangeOnlineManagement it sees). */
  get info(): PwshInfo {
    if (!this.#info) throw new Error('PwshProcess.info read before start() finished');
    return this.#info;
  }

  /** True until the process exits or is killed (false at once after `kill()`, before the exit is reported). */
  get alive(): boolean {
    return !this.#exited && !this.#killed;
  }

  /** Pid of the process node-powershell spawned (the root of the tree that is killed); undefined if spawning failed. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resident memory of the whole process tree, in bytes. */
  rssBytes(): number {
    return this.pid === undefined ? 0 : processTreeRssBytes(this.pid);
  }

  /**
   * Runs one helper request. Resolves with the helper's envelope (an Exchange error is a normal result); throws
   * CallInterruptedError when the process was killed, crashed or hit the timeout, because then nobody knows whether
   * the cmdlet did its work.
   */
  async call(request: HelperRequest, timeoutMs: number): Promise<CmdletResult> {
    const stdout = await this.#invoke(requestLine(request), timeoutMs);
    if (stdout === undefined)
      throw new CallInterruptedError(
        'PowerShell stopped before the cmdlet finished (timeout or crash); whether it made its change is unknown.',
      );
    return (
      parseEnvelope(stdout) ?? {
        ok: false,
        error: {
          message: 'PowerShell returned no result for this call (the companion helper wrote no envelope).',
          type: 'Runbook.NoEnvelope',
        },
      }
    );
  }

  /** Clears pwsh's own command history (the helper also does at the start of every call). */
  async clearHistory(timeoutMs: number): Promise<void> {
    await this.#invoke('Clear-History', timeoutMs);
  }

  /** How many commands node-powershell still holds; always 0 between calls (its history would keep tokens). */
  get commandsRetained(): number {
    return this.#shell.history.length;
  }

  /** Kills the process tree now. */
  kill(): void {
    if (this.#exited || this.pid === undefined) return;
    this.#killed = true;
    killProcessTree(this.pid);
    // Now, not on 'exit': when the companion is shutting down it may be gone before the exit is reported.
    this.#removeTempDir();
  }

  /** Deletes the process's own temp folder. */
  #removeTempDir(): void {
    rmSync(this.#tempDir, { recursive: true, force: true });
    liveTempDirs.delete(this.#tempDir);
  }

  /** Sends one constant line; resolves with stdout, or undefined when the process ended or was killed first. */
  async #invoke(line: string, timeoutMs: number): Promise<string | undefined> {
    if (!this.alive) return undefined;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      const result = await this.#shell.invoke(line);
      return this.alive ? (result.stdout?.toString('utf8') ?? '') : undefined;
    } catch {
      // node-powershell rejects with a ProcessError when the process is killed (or exits badly) mid-call.
      return undefined;
    } finally {
      clearTimeout(timer);
      // The history holds every command and its output; a connect's command carries the token.
      this.#shell.history.length = 0;
    }
  }
}

/** The child's environment: telemetry and update checks off, its own temp folder, where the helper module is. */
function processEnvironment(options: PwshProcessOptions, tempDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    TERM: 'dumb',
    TMPDIR: tempDir,
    TEMP: tempDir,
    TMP: tempDir,
    RUNBOOK_COMPANION_MODULE: COMPANION_MODULE,
  };
  if (options.modulePath) env.RUNBOOK_PSMODULEPATH = options.modulePath;
  else delete env.RUNBOOK_PSMODULEPATH;
  return env;
}
