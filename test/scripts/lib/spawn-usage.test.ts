/**
 * The rule behind scripts/lib/spawn.ts, over every source in scripts/, server/, test/, bench/ and the root configs:
 * no child_process call (and no Playwright `command:` line) starts npm, npx, a package's command (anything npm puts
 * in node_modules/.bin: astro, tsc, playwright, ...) or `node` by name, and none starts a POSIX-only program. On
 * Windows those names are .cmd shims that spawn cannot start without a shell, and `node` on PATH may not be the Node
 * running the project; the shell utilities do not exist there at all.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../../../scripts/lib/spawn.ts';

const SPAWNERS = new Set(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync']);
const SHELL_LINE = new Set(['exec', 'execSync']);
const PACKAGE_MANAGERS = ['npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'corepack'];
const POSIX_ONLY = [
  'sh',
  'bash',
  'rm',
  'cp',
  'mv',
  'mkdir',
  'chmod',
  'chown',
  'ln',
  'cat',
  'grep',
  'sed',
  'awk',
  'find',
  'which',
  'xargs',
  'kill',
  'pkill',
  'killall',
  'lsof',
];

/** Every command npm installed for the packages (node_modules/.bin, without Windows' shim extensions). */
function packageCommands(): string[] {
  return [
    ...new Set(readdirSync(path.join(ROOT, 'node_modules', '.bin')).map((name) => name.replace(/\.(cmd|ps1)$/i, ''))),
  ];
}

/** Why starting `command` by this name is wrong, or undefined when it is fine. */
function problem(command: string, packageBins: Set<string>): string | undefined {
  const name = path
    .basename(command.replaceAll('\\', '/'))
    .toLowerCase()
    .replace(/\.(cmd|exe|bat|ps1)$/, '');
  if (name === 'node')
    return "start the Node running this script: process.execPath, or runTool('node', ...) from scripts/lib/spawn.ts";
  if (PACKAGE_MANAGERS.includes(name) || packageBins.has(name))
    return 'a .cmd shim on Windows: use runTool / toolCommand from scripts/lib/spawn.ts';
  if (POSIX_ONLY.includes(name)) return 'a POSIX-only program: use node:fs or Node itself';
  return undefined;
}

/** The literal text of a string argument, if it is one. */
function literal(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** True for a property of the object literal given as `webServer: {...}`. */
function inWebServer(property: ts.PropertyAssignment): boolean {
  const owner = property.parent.parent;
  return ts.isPropertyAssignment(owner) && ts.isIdentifier(owner.name) && owner.name.text === 'webServer';
}

/** The first word of a shell command line. */
const firstWord = (line: string) =>
  line
    .trim()
    .split(/\s+/)[0]!
    .replace(/^["']|["']$/g, '');

/** A tool started by its bare name: where, how, and what to do instead. */
interface Finding {
  line: number;
  call: string;
  why: string;
}

/** Every bare-name tool start in `source`. */
function findBareToolStarts(fileName: string, source: string, packageBins: Set<string>): Finding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  // Local names of child_process's functions (named imports, maybe renamed) and of the module itself (namespace).
  const functions = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !/^(node:)?child_process$/.test(literal(statement.moduleSpecifier) ?? ''))
      continue;
    const clause = statement.importClause;
    if (clause?.name) namespaces.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings))
      for (const e of bindings.elements) functions.set(e.name.text, (e.propertyName ?? e.name).text);
  }
  const found: Finding[] = [];
  const report = (node: ts.Node, call: string, command: string) => {
    const why = problem(command, packageBins);
    if (why) found.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, call, why });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const fn = ts.isIdentifier(callee)
        ? functions.get(callee.text)
        : ts.isPropertyAccessExpression(callee) &&
            ts.isIdentifier(callee.expression) &&
            namespaces.has(callee.expression.text)
          ? callee.name.text
          : undefined;
      const text = literal(node.arguments[0]);
      if (fn && SPAWNERS.has(fn) && text !== undefined)
        report(node, `${fn}('${text}')`, SHELL_LINE.has(fn) ? firstWord(text) : text);
    }
    // Playwright's webServer.command is a shell line.
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'command' &&
      inWebServer(node)
    ) {
      const text = literal(node.initializer);
      if (text !== undefined) report(node, `command: '${text}'`, firstWord(text));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Source files under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(file))
    .map((file) => path.join(dir, file));
}

describe('no tool is started by its bare name', () => {
  const bins = new Set(packageCommands());

  test('the rule catches what it must, and leaves the right way alone', () => {
    const sample = [
      "import { spawn, spawnSync as run, execSync } from 'node:child_process';",
      "import * as cp from 'child_process';",
      "spawnSync('x');",
      "run('astro', ['build']);",
      "spawn(`npm`, ['ci']);",
      "cp.execFileSync('tsc.cmd', ['--noEmit']);",
      "execSync('npx playwright test');",
      "spawn('node', ['server/main.ts']);",
      "spawn('rm', ['-rf', 'dist']);",
      'export default { webServer: { command: "node server/main.ts" } };',
      "spawn(process.execPath, ['server/main.ts']);",
      "spawnSync('taskkill', ['/T']);",
      "db.exec('BEGIN');",
      "const exec = (s: string) => s; exec('npm');",
      "const line = { command: 'npm', args: [] };",
    ].join('\n');
    assert.deepEqual(
      findBareToolStarts('sample.ts', sample, bins).map((f) => [f.line, f.call]),
      [
        [4, "spawnSync('astro')"],
        [5, "spawn('npm')"],
        [6, "execFileSync('tsc.cmd')"],
        [7, "execSync('npx playwright test')"],
        [8, "spawn('node')"],
        [9, "spawn('rm')"],
        [10, "command: 'node server/main.ts'"],
      ],
    );
  });

  test('in scripts/, server/, test/, bench/ and the root configs', () => {
    assert.ok(
      bins.has('astro') && bins.has('tsc') && bins.has('playwright'),
      'node_modules/.bin lists the package commands',
    );
    const files = [
      ...['scripts', 'server', 'test', 'bench'].flatMap(sources),
      ...readdirSync(ROOT).filter((file) => /\.config\.(ts|mjs|js)$/.test(file)),
    ];
    assert.ok(files.includes(path.join('scripts', 'test.ts')) && files.includes('playwright.config.ts'));
    const found = files.flatMap((file) =>
      findBareToolStarts(file, readFileSync(path.join(ROOT, file), 'utf8'), bins).map(
        (f) => `${file}:${f.line}: ${f.call}: ${f.why}`,
      ),
    );
    assert.deepEqual(found, []);
  });
});
