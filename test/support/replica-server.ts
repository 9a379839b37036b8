/**
 * A companion with `REPLICAS` contoso replica tenants (one admin each), run as its own process so a client measuring
 * it (load test, benchmark) does not share its event loop or memory. Configured like `server/main.ts` from the
 * environment (PORT, RUNBOOK_DATA_DIR, RUNBOOK_CUSTOMIZATION_DELAY, RUNBOOK_PROPAGATION_DELAY, RUNBOOK_RATE_LIMIT);
 * `REPLICA_WAIT_MS` shortens the steps' first backoff delay to match short sandbox delays.
 * Prints `listening <port>` once ready; SIGTERM closes it gracefully. The IPC message `memory` is answered with
 * `{memory}` (MiB by process.memoryUsage() field) after a full garbage collection when started with --expose-gc, so a
 * load test can tell retained heap from V8's reserve.
 */
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../server/http/server.ts';
import { createCompanion } from '../../server/compose.ts';
import { loadConfig } from '../../server/config.ts';
import { replicaTenants } from './replica-tenants.ts';

const config = loadConfig(process.env, []);
const replicas = Number(process.env.REPLICAS ?? '50');
const waitMs = Number(process.env.REPLICA_WAIT_MS ?? '0');
const companion = await createCompanion(config, {
  sandboxTenants: replicaTenants(replicas),
  ...(waitMs > 0
    ? { waitPolicy: { initialDelayMs: waitMs, factor: 2, maxDelayMs: waitMs * 8, maxWaitMs: 120_000 } }
    : {}),
});
const server = createHttpServer(companion.app);
server.listen(config.port, config.host, () => console.log(`listening ${(server.address() as AddressInfo).port}`));

process.on('message', (message) => {
  if (message !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  const usage = Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round((v / 1024 / 1024) * 10) / 10]);
  process.send?.({ memory: Object.fromEntries(usage) });
});

process.on(
  'SIGTERM',
  () =>
    void (async () => {
      server.close();
      server.closeIdleConnections();
      await companion.close();
      server.closeAllConnections();
      process.exit(0);
    })(),
);
