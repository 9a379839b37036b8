/**
 * Configuration: sensible defaults for `npm start`, tenant mode from the flag or the environment, and a bad value
 * stops the server with every problem listed, each saying what was received and what was expected.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';

const TENANT = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const CLIENT = 'aaaaaaaa-0000-0000-0000-000000000001';
const ENTRA = { RUNBOOK_ENTRA_CLIENT_ID: CLIENT, RUNBOOK_ENTRA_TENANT_ID: TENANT, RUNBOOK_API_AUDIENCE: 'api://companion' };

/** The problems a configuration is refused with. */
function problems(env: NodeJS.ProcessEnv, argv: string[] = []): string[] {
  try {
    loadConfig(env, argv);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('configuration was accepted');
}

test('defaults: sandbox on 127.0.0.1:4321 with the sandbox executor and data in .runbook/', () => {
  const config = loadConfig({}, []);
  assert.equal(config.mode, 'sandbox');
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 4321);
  assert.equal(config.executor, 'sandbox');
  assert.equal(config.dataDir, path.resolve('.runbook'));
  assert.equal(config.entra, undefined);
});

test('tenant mode from --tenant or RUNBOOK_MODE, PowerShell executor by default, Entra settings derived', () => {
  for (const [env, argv] of [[ENTRA, ['--tenant']], [{ ...ENTRA, RUNBOOK_MODE: 'tenant' }, []]] as const) {
    const config = loadConfig(env, [...argv]);
    assert.equal(config.mode, 'tenant');
    assert.equal(config.executor, 'powershell');
    assert.deepEqual(config.entra, {
      clientId: CLIENT, authorityHost: 'https://login.microsoftonline.com', authority: `https://login.microsoftonline.com/${TENANT}`,
      knownAuthorities: [], tenantIds: [TENANT], apiAudience: 'api://companion', apiScope: 'api://companion/access_as_user',
    });
  }
  const multi = loadConfig({ ...ENTRA, RUNBOOK_ENTRA_TENANT_IDS: `${TENANT}, F0FAB41C-2D6E-4A8B-8C3D-2026C0DE0002` }, ['--tenant']);
  assert.deepEqual(multi.entra!.tenantIds, [TENANT, 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002']);
  assert.equal(multi.entra!.authority, 'https://login.microsoftonline.com/organizations');
  const idp = loadConfig({ ...ENTRA, RUNBOOK_ENTRA_AUTHORITY: 'https://localhost:8443/' }, ['--tenant']);
  assert.deepEqual(idp.entra!.knownAuthorities, ['localhost:8443']);
});

test('tenant mode without its Entra settings names each missing one', () => {
  const found = problems({}, ['--tenant']);
  for (const name of ['RUNBOOK_ENTRA_CLIENT_ID', 'RUNBOOK_ENTRA_TENANT_IDS', 'RUNBOOK_API_AUDIENCE']) {
    assert.ok(found.some((p) => p.startsWith(name) && p.includes('received nothing') && p.includes('expected')), `${name} in ${found}`);
  }
});

test('bad values are refused with what was received and what was expected', () => {
  const cases: Array<[NodeJS.ProcessEnv, string[], RegExp]> = [
    [{ PORT: '99999' }, [], /^PORT: received "99999", expected a whole number from 0 to 65535$/],
    [{ PORT: '80abc' }, [], /^PORT: received "80abc"/],
    [{ RUNBOOK_MODE: 'prod' }, [], /^RUNBOOK_MODE: received "prod", expected one of sandbox, tenant$/],
    [{ RUNBOOK_EXECUTOR: 'bash' }, [], /^RUNBOOK_EXECUTOR: received "bash", expected one of sandbox, powershell$/],
    [{ RUNBOOK_ALLOWED_ORIGINS: 'https://ok.example, https://bad.example/path' }, [], /^RUNBOOK_ALLOWED_ORIGINS: received "https:\/\/bad.example\/path"/],
    [{ RUNBOOK_RATE_LIMIT: '0' }, [], /^RUNBOOK_RATE_LIMIT: received "0"/],
    [{}, ['--tenants'], /^command-line flag: received "--tenants", expected --tenant or nothing$/],
    [{ ...ENTRA, RUNBOOK_ENTRA_AUTHORITY: 'http://login.example' }, ['--tenant'], /^RUNBOOK_ENTRA_AUTHORITY: received "http:\/\/login.example", expected an https authority host/],
    [{ ...ENTRA, RUNBOOK_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' }, ['--tenant'], /^RUNBOOK_ENTRA_TENANT_IDS \(or RUNBOOK_ENTRA_TENANT_ID\): received "contoso.onmicrosoft.com", expected .*GUIDs/],
  ];
  for (const [env, argv, pattern] of cases) {
    const found = problems(env, argv);
    assert.ok(found.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(found)}`);
  }
});

test('every problem is reported at once', () => {
  assert.equal(problems({ PORT: 'x', RUNBOOK_MODE: 'y', RUNBOOK_EXECUTOR: 'z' }).length, 3);
});
