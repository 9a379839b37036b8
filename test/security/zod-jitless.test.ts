/**
 * The page's Content-Security-Policy has no 'unsafe-eval', so any `new Function` is a reported violation. zod 4
 * probes for it when it builds a schema (to compile fast parsers), so the step controller, the only browser code that
 * loads zod, must configure zod without JIT before the catalog builds its schemas. Here the controller is imported
 * in a fresh Node process whose `Function` constructor refuses and records, as a browser under that policy does; the
 * browser check itself is test/e2e/csp.spec.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

test("loading the step controller and validating with the steps' schemas never constructs a Function", () => {
  const script = `
    const refused = [];
    globalThis.Function = new Proxy(Function, { construct(_target, args) { refused.push(args.join(',')); throw new EvalError('CSP: unsafe-eval'); } });
    const { attachStepController } = await import(${JSON.stringify(path.join(ROOT, 'src/client/step-controller.ts'))});
    const { STEPS } = await import(${JSON.stringify(path.join(ROOT, 'src/runbook/catalog.ts'))});
    for (const step of STEPS) step.params.safeParse({});
    const valid = STEPS.find((s) => s.id === 'create-role-group').params.safeParse({ name: 'x', members: ['svc-ews@contoso.onmicrosoft.com'] }).success;
    console.log(JSON.stringify({ loaded: typeof attachStepController, valid, refused }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 60_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(line), { loaded: 'function', valid: true, refused: [] });
});
