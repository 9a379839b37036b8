/**
 * `npm start [-- --tenant] [-- --build]`: builds the site if it has not been built yet (or with --build), then
 * starts the companion, which serves the site and the API on one origin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'dist', 'index.html')) || process.argv.includes('--build')) {
  console.log('Building the site (first start only, takes a few seconds)...');
  // --silent: Astro's page-by-page log means nothing to an admin; errors are still printed.
  const r = spawnSync('astro', ['build', '--silent'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../server/main.ts');
