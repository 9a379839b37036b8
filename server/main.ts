/**
 * Companion entry point: serves the built site and the /api routes on one origin, 127.0.0.1:4321 by default.
 * On SIGINT/SIGTERM it stops accepting connections, ends event streams, records runs in flight as `unknown`,
 * closes the executor (PowerShell processes) and the database, then exits. A second signal exits at once.
 */
import http from 'node:http';
import { createCompanion } from './companion.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { defaultParts } from './parts.ts';

/** Reads the configuration or exits with every problem listed. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

const config = configOrExit();
const companion = await createCompanion(config, defaultParts(config));
// A request (headers and its at most 64 kB body) must arrive within 30 s: a client dripping or stalling a body holds
// its connection and buffer that long, not Node's default five minutes. Event streams are responses: not limited.
const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, companion.app);
server.on('error', (err) => {
  console.error(`Cannot listen on ${config.host}:${config.port}: ${err.message}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Runbook at http://${config.host}:${port}/ (${config.mode} mode, ${companion.executor.name} executor, data in ${config.dataDir})`);
});

let stopping = false;
/** Graceful shutdown; the second signal forces the exit. */
async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping (runs in flight are recorded as unknown)`);
  server.close();
  server.closeIdleConnections();
  try {
    await companion.close();
  } catch (err) {
    console.error('Shutdown was not clean:', err);
    process.exitCode = 1;
  }
  server.closeAllConnections();
  process.exit();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
