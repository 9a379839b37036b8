/**
 * Companion entry point: serves the built site and the /api routes on one origin, 127.0.0.1:4321 by default.
 * On SIGINT/SIGTERM it stops accepting connections, ends event streams, records runs in flight as `unknown`,
 * closes the executor (PowerShell processes) and the database, then exits. A second signal exits at once.
 */
import type { SandboxAdmin } from '../src/runbook/api.ts';
import { createCompanion, type Companion } from './compose.ts';
import { createHttpServer } from './http/server.ts';
import { ConfigError, isLoopbackHost, loadConfig, networkExposure, type Config } from './config.ts';
import { sandboxAdmins } from './sandbox/tenants/index.ts';

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

/** What a first-time user needs once the companion listens: where to open it, what mode it is in, how to stop it. */
function startupMessage(url: string, executor: string, admins: SandboxAdmin[] | undefined): string {
  const lines = [`Exchange Online Runbook at ${url} (open it in your browser)`];
  if (config.mode === 'sandbox') {
    const rehearsal = executor === 'powershell' ? ' Steps run through pwsh and the stand-in module (rehearsal).' : '';
    lines.push(
      `  Sandbox mode: simulated tenants, no Microsoft account needed.${rehearsal} Sign in from the page header as`,
    );
    for (const admin of admins ?? []) lines.push(`    ${admin.upn} (${admin.description})`);
    lines.push('  For your own tenant: npm start -- --tenant (README, "Use it with a real tenant").');
  } else {
    lines.push(`  Tenant mode: sign in with Microsoft; steps run in PowerShell (pwsh) against your tenant.`);
  }
  lines.push(`  Run records are kept in ${config.dataDir}. Ctrl+C stops the companion.`);
  return lines.join('\n');
}

const config = configOrExit();
if (!isLoopbackHost(config.host)) {
  console.warn(
    `WARNING: ${networkExposure(config.host)}. RUNBOOK_ALLOW_NETWORK (or --allow-network) asked for it; ` +
      'put it behind TLS and allow only the machines that need it.',
  );
}
const companion = await companionOrExit(config);
const server = createHttpServer(companion.app);
server.on('error', (err) => {
  console.error(`Cannot listen on ${config.host}:${config.port}: ${err.message}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    startupMessage(
      `http://${config.host}:${port}/`,
      companion.executor.name,
      config.mode === 'sandbox' ? sandboxAdmins() : undefined,
    ),
  );
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
