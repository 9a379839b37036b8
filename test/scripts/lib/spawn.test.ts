/**
 * The tool launcher builds the command line each platform needs (checked for Windows and macOS by handing it that
 * platform, not by patching process.platform), and really runs the tools on this machine.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { packageBin, ROOT, runTool, toolCommand, type Host } from '../../../scripts/lib/spawn.ts';

const WINDOWS_NODE = 'C:\\Program Files\\nodejs\\node.exe';
const WINDOWS_NPM_CLI = 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js';
const windows = (env: NodeJS.ProcessEnv = {}): Host => ({ platform: 'win32', execPath: WINDOWS_NODE, env, root: ROOT });
const macos = (env: NodeJS.ProcessEnv = {}): Host => ({
  platform: 'darwin',
  execPath: '/opt/homebrew/bin/node',
  env,
  root: ROOT,
});

describe('toolCommand', () => {
  for (const [tool, entry] of [
    ['astro', 'astro/bin/astro.mjs'],
    ['tsc', 'typescript/bin/tsc'],
    ['playwright', '@playwright/test/cli.js'],
  ] as const) {
    test(`${tool}: this Node with the package's JS entry, no shell, on Windows and macOS alike`, () => {
      for (const host of [windows(), macos()]) {
        const command = toolCommand(tool, ['--version'], host);
        assert.equal(command.command, host.execPath);
        assert.equal(command.shell, false);
        assert.equal(command.args.length, 2);
        assert.ok(command.args[0]!.split(path.sep).join('/').endsWith(`/node_modules/${entry}`), command.args[0]);
        assert.ok(existsSync(command.args[0]!), `${command.args[0]} exists`);
        assert.equal(command.args[1], '--version');
      }
    });
  }

  test('node is the Node running the script, never whatever `node` is first on PATH', () => {
    assert.deepEqual(toolCommand('node', ['scripts/page-weight.ts'], windows()), {
      command: WINDOWS_NODE,
      args: ['scripts/page-weight.ts'],
      shell: false,
    });
  });

  test('npm under npm: its own CLI script, run by this Node, on every platform', () => {
    for (const host of [
      windows({ npm_execpath: WINDOWS_NPM_CLI }),
      macos({ npm_execpath: '/opt/homebrew/lib/node_modules/npm/bin/npm-cli.js' }),
    ]) {
      assert.deepEqual(toolCommand('npm', ['run', '--silent', 'test:unit'], host), {
        command: host.execPath,
        args: [host.env.npm_execpath, 'run', '--silent', 'test:unit'],
        shell: false,
      });
    }
  });

  test('npm outside npm: npm.cmd through the shell on Windows (Node refuses .cmd without), plain npm on macOS', () => {
    assert.deepEqual(toolCommand('npm', ['run', 'test:unit'], windows()), {
      command: 'npm.cmd',
      args: ['run', 'test:unit'],
      shell: true,
    });
    assert.deepEqual(toolCommand('npm', ['run', 'test:unit'], macos()), {
      command: 'npm',
      args: ['run', 'test:unit'],
      shell: false,
    });
  });

  test('nothing cmd.exe would interpret reaches it', () => {
    for (const arg of ['a&b', 'x|y', '"quoted"', '%PATH%', 'two words', 'a^b', '<in', '>out']) {
      assert.throws(() => toolCommand('npm', ['run', arg], windows()), /refusing to pass .* through cmd\.exe/);
    }
    // npm_execpath that is not a JS file (another package manager's binary) is not run with node.
    assert.equal(toolCommand('npm', ['ci'], windows({ npm_execpath: 'C:\\tools\\pnpm.exe' })).command, 'npm.cmd');
  });
});

describe('packageBin', () => {
  test('a package that is not installed says so and what to run', () => {
    assert.throws(
      () => packageBin('no-such-package-xplat', 'x', ROOT),
      /no-such-package-xplat is not installed .*run npm install/,
    );
  });

  test('a command the package does not have is named', () => {
    assert.throws(
      () => packageBin('typescript', 'no-such-command', ROOT),
      /typescript .* has no command "no-such-command"/,
    );
  });
});

describe('runTool on this machine', () => {
  test('runs tsc and npm and passes their exit status', () => {
    const tsc = runTool('tsc', ['--version'], { stdio: 'pipe', encoding: 'utf8' });
    assert.equal(tsc.status, 0, String(tsc.stderr));
    assert.match(String(tsc.stdout), /^Version \d+\.\d+\.\d+/);
    const npm = runTool('npm', ['--version'], { stdio: 'pipe', encoding: 'utf8' });
    assert.equal(npm.status, 0, String(npm.stderr));
    assert.match(String(npm.stdout), /^\d+\.\d+\.\d+/);
    assert.notEqual(runTool('tsc', ['--no-such-flag'], { stdio: 'pipe' }).status, 0);
  });
});
