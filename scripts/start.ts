/** `npm start`: builds the site when it is missing or older than its sources, then starts the companion. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/index.html') || process.argv.includes('--build')) {
  const r = spawnSync('astro', ['build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../server/main.ts');
