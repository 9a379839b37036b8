/**
 * Companion entry point: serves the built site and the /api routes on one origin, 127.0.0.1:4321 by default.
 * On SIGINT/SIGTERM it stops accepting connections, ends event streams, records runs in flight as `unknown`,
 * closes the executor (PowerShell processes) and the database, then exits. A second signal exits at once.
 */
import http from 'node:http';
import { createCompanion, type Companion } from './compose.ts';
import { ConfigError, isLoopbackHost, loadConfig, networkExposure, type Config } from './config.ts';

/** Prints a configuration problem (no stack: it is the admin's to fix) and exits 2. */
function exitWith(err: ConfigError): never {
  console.error(err.message);
  process.exit(2);
}

/** Reads the configuration or exits with every problem listed. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) exitWith(err);
    throw err;
  }
}

/** Builds the companion, or exits when its data folder cannot be used. */
async function companionOrExit(config: Config): Promise<Companion> {
  try {
    return await createCompanion(config);
  } catch (err) {
    if (err instanceof ConfigError) exitWith(err);
    throw err;
  }
}

const config = configOrExit();
if (!isLoopbackHost(config.host)) {
  console.warn(`WARNING: ${networkExposure(config.host)}. RUNBOOK_ALLOW_NETWORK (or --allow-network) asked for it; `
    + 'put it behind TLS and allow only the machines that need it.');
}
const companion = await companionOrExit(config);
const server = http.createServer(companion.app);
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
