/**
 * `npm test`: lint (Prettier, ESLint with types, knip, import cycles), type checks, unit and server tests, a production
 * build, the browser tests against that build, then the 120-second load test and the abuse phases (`npm run test:load`,
 * its own stage so the unit stage stays quick). Stops at the first failing stage and says which one failed.
 */
import { runTool, type Tool } from './lib/spawn.ts';

const stages: Array<[string, [Tool, ...string[]]]> = [
  // `npm run lint` first generates .astro/types.d.ts (astro:content and friends), which ESLint's type information and
  // tsc need and a fresh clone does not have.
  ['lint (Prettier, ESLint, knip, import cycles)', ['npm', 'run', '--silent', 'lint']],
  ['type check (tsc)', ['tsc', '--noEmit']],
  ['type check (astro check)', ['astro', 'check']],
  ['unit and server tests', ['npm', 'run', '--silent', 'test:unit']],
  ['production build', ['astro', 'build']],
  ['page weight budget (12 kB gzip JS before interaction)', ['node', 'scripts/page-weight.ts']],
  ['browser tests (Playwright, Chromium)', ['playwright', 'test']],
  ['load test (50 admins for 120 s, then the abuse phases)', ['npm', 'run', '--silent', 'test:load']],
];

for (const [name, [cmd, ...args]] of stages) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = runTool(cmd, args);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${name} failed after ${secs}s (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${name} passed in ${secs}s`);
}
