/**
 * `npm start [-- --tenant] [-- --build]`: builds the site if it has not been built yet (or with --build), then
 * starts the companion, which serves the site and the API on one origin.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runTool } from './lib/spawn.ts';

if (!existsSync(path.join(ROOT, 'dist', 'index.html')) || process.argv.includes('--build')) {
  console.log('Building the site (astro build)...');
  const r = runTool('astro', ['build']);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../server/main.ts');
