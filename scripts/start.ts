/**
 * `npm start [-- --tenant] [-- --build]`: builds the site if it has not been built yet (or with --build), then
 * starts the companion, which serves the site and the API on one origin.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runTool } from './lib/spawn.ts';

if (!existsSync(path.join(ROOT, 'dist', 'index.html')) || process.argv.includes('--build')) {
  console.log('Building the site (first start only, takes a few seconds)...');
  // --silent: Astro's page-by-page log means nothing to an admin; errors are still printed.
  const r = runTool('astro', ['build', '--silent']);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../server/main.ts');
