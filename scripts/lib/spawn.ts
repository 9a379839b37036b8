/**
 * Starts the project's tools the same way on Windows, macOS and Linux. A package's command (astro, tsc, playwright)
 * runs as `<this Node> <the package's JS entry>`: no `.cmd` shim, no shell, no PATH lookup, and always the Node that
 * `npm run` chose. npm itself runs through the CLI script npm names in `npm_execpath`; only outside npm does it fall
 * back to the platform's shim, which on Windows (`npm.cmd`) needs the shell: Node refuses to spawn a .cmd file without
 * one since the fix for CVE-2024-27980.
 */
import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (where package.json is). */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The npm package each command comes from. */
const PACKAGES = { astro: 'astro', tsc: 'typescript', playwright: '@playwright/test' } as const;

/** A command the scripts start: a package's command, this Node, or npm. */
export type Tool = keyof typeof PACKAGES | 'node' | 'npm';

/** What a command line depends on, injectable so tests can stand in for another platform. */
export interface Host {
  platform: NodeJS.Platform;
  /** The Node running this script. */
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** Where node_modules is looked up from. */
  root: string;
}

/** A resolved command line. */
export interface Command {
  command: string;
  args: string[];
  /** True only for a platform shim that needs the shell (npm.cmd on Windows outside npm). */
  shell: boolean;
}

/** This machine. */
function thisHost(): Host {
  return { platform: process.platform, execPath: process.execPath, env: process.env, root: ROOT };
}

/** The JS file behind package `pkg`'s command `name`, found the way Node resolves packages (node_modules upwards). */
export function packageBin(pkg: string, name: string, root: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(manifest)) {
      const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
      const entry = typeof bin === 'string' ? bin : bin?.[name];
      if (!entry) throw new Error(`${pkg} (${manifest}) has no command "${name}"`);
      return path.join(path.dirname(manifest), entry);
    }
    if (path.dirname(dir) === dir)
      throw new Error(`${pkg} is not installed (looked for node_modules/${pkg} from ${root} up): run npm install`);
  }
}

// What may pass through cmd.exe unquoted: nothing that the shell would interpret (& | < > ^ % " spaces and so on).
const SHELL_SAFE = /^[\w.:=@/\\+-]+$/;

/** The command line that runs `tool` with `args` on `host`. */
export function toolCommand(tool: Tool, args: string[], host: Host = thisHost()): Command {
  if (tool === 'node') return { command: host.execPath, args, shell: false };
  if (tool === 'npm') {
    const cli = host.env.npm_execpath;
    if (cli && /\.[cm]?js$/.test(cli)) return { command: host.execPath, args: [cli, ...args], shell: false };
    if (host.platform !== 'win32') return { command: 'npm', args, shell: false };
    const unsafe = args.find((arg) => !SHELL_SAFE.test(arg));
    if (unsafe !== undefined)
      throw new Error(
        `refusing to pass ${JSON.stringify(unsafe)} to npm.cmd through cmd.exe: run this through npm instead`,
      );
    return { command: 'npm.cmd', args, shell: true };
  }
  return { command: host.execPath, args: [packageBin(PACKAGES[tool], tool, host.root), ...args], shell: false };
}

/** Runs `tool` with `args` and waits for it (stdio inherited unless `options` say otherwise). */
export function runTool(tool: Tool, args: string[], options: SpawnSyncOptions = {}): SpawnSyncReturns<Buffer | string> {
  const { command, args: argv, shell } = toolCommand(tool, args);
  return spawnSync(command, argv, { stdio: 'inherit', cwd: ROOT, ...options, shell });
}
