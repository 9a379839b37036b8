/**
 * Configuration: sensible defaults for `npm start`, tenant mode from the flag or the environment, and a bad value
 * stops the server with every problem listed, each saying what was received and what was expected.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { findPwsh, thisPwshSearchHost } from '../../server/executors/powershell/find-pwsh.ts';

const TENANT = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const CLIENT = 'aaaaaaaa-0000-0000-0000-000000000001';
const ENTRA = {
  RUNBOOK_ENTRA_CLIENT_ID: CLIENT,
  RUNBOOK_ENTRA_TENANT_ID: TENANT,
  RUNBOOK_API_AUDIENCE: 'api://companion',
};

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
  for (const [env, argv] of [
    [ENTRA, ['--tenant']],
    [{ ...ENTRA, RUNBOOK_MODE: 'tenant' }, []],
  ] as const) {
    const config = loadConfig(env, [...argv]);
    assert.equal(config.mode, 'tenant');
    assert.equal(config.executor, 'powershell');
    assert.deepEqual(config.entra, {
      clientId: CLIENT,
      authorityHost: 'https://login.microsoftonline.com',
      authority: `https://login.microsoftonline.com/${TENANT}`,
      knownAuthorities: [],
      tenantIds: [TENANT],
      apiAudience: 'api://companion',
      apiScope: 'api://companion/access_as_user',
    });
  }
  const multi = loadConfig({ ...ENTRA, RUNBOOK_ENTRA_TENANT_IDS: `${TENANT}, F0FAB41C-2D6E-4A8B-8C3D-2026C0DE0002` }, [
    '--tenant',
  ]);
  assert.deepEqual(multi.entra!.tenantIds, [TENANT, 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002']);
  assert.equal(multi.entra!.authority, 'https://login.microsoftonline.com/organizations');
  const idp = loadConfig({ ...ENTRA, RUNBOOK_ENTRA_AUTHORITY: 'https://localhost:8443/' }, ['--tenant']);
  assert.deepEqual(idp.entra!.knownAuthorities, ['localhost:8443']);
});

test('tenant mode without its Entra settings names each missing one', () => {
  const found = problems({}, ['--tenant']);
  for (const name of ['RUNBOOK_ENTRA_CLIENT_ID', 'RUNBOOK_ENTRA_TENANT_IDS', 'RUNBOOK_API_AUDIENCE']) {
    assert.ok(
      found.some((p) => p.startsWith(name) && p.includes('received nothing') && p.includes('expected')),
      `${name} in ${found.join('; ')}`,
    );
  }
});

test('bad values are refused with what was received and what was expected', () => {
  const cases: Array<[NodeJS.ProcessEnv, string[], RegExp]> = [
    [{ PORT: '99999' }, [], /^PORT: received "99999", expected a whole number from 0 to 65535$/],
    [{ PORT: '80abc' }, [], /^PORT: received "80abc"/],
    [{ RUNBOOK_MODE: 'prod' }, [], /^RUNBOOK_MODE: received "prod", expected one of sandbox, tenant$/],
    [{ RUNBOOK_EXECUTOR: 'bash' }, [], /^RUNBOOK_EXECUTOR: received "bash", expected one of sandbox, powershell$/],
    [
      { RUNBOOK_ALLOWED_ORIGINS: 'https://ok.example, https://bad.example/path' },
      [],
      /^RUNBOOK_ALLOWED_ORIGINS: received "https:\/\/bad.example\/path"/,
    ],
    [{ RUNBOOK_RATE_LIMIT: '0' }, [], /^RUNBOOK_RATE_LIMIT: received "0"/],
    [{}, ['--tenants'], /^command-line flag: received "--tenants", expected --tenant, --allow-network or nothing$/],
    [
      { RUNBOOK_ALLOWED_HOSTS: 'docs.example.com, evil.example/x' },
      [],
      /^RUNBOOK_ALLOWED_HOSTS: received "evil.example\/x", expected Host header values/,
    ],
    [{ HOST: 'not a host' }, [], /^HOST: received "not a host", expected an IP address or a host name/],
    [
      { RUNBOOK_ALLOW_NETWORK: 'yes' },
      [],
      /^RUNBOOK_ALLOW_NETWORK: received "yes", expected 1 \(listen beyond loopback\) or 0$/,
    ],
    [
      { RUNBOOK_PS_IDLE: '0' },
      [],
      /^RUNBOOK_PS_IDLE: received "0", expected a whole number of seconds from 1 to 86400$/,
    ],
    [{ RUNBOOK_PS_MAX: 'four' }, [], /^RUNBOOK_PS_MAX: received "four", expected a whole number from 1 to 100$/],
    [
      { RUNBOOK_PS_CALL_TIMEOUT: '2.5' },
      [],
      /^RUNBOOK_PS_CALL_TIMEOUT: received "2.5", expected a whole number of seconds/,
    ],
    [
      { RUNBOOK_PROPAGATION_DELAY: 'soon' },
      [],
      /^RUNBOOK_PROPAGATION_DELAY: received "soon", expected a number of seconds from 0 to 86400$/,
    ],
    [
      { RUNBOOK_CUSTOMIZATION_DELAY: '-1' },
      [],
      /^RUNBOOK_CUSTOMIZATION_DELAY: received "-1", expected a number of seconds/,
    ],
    [
      { ...ENTRA, RUNBOOK_ENTRA_AUTHORITY: 'http://login.example' },
      ['--tenant'],
      /^RUNBOOK_ENTRA_AUTHORITY: received "http:\/\/login.example", expected an https authority host/,
    ],
    [
      { ...ENTRA, RUNBOOK_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' },
      ['--tenant'],
      /^RUNBOOK_ENTRA_TENANT_IDS \(or RUNBOOK_ENTRA_TENANT_ID\): received "contoso.onmicrosoft.com", expected .*GUIDs/,
    ],
  ];
  for (const [env, argv, pattern] of cases) {
    const found = problems(env, argv);
    assert.ok(
      found.some((p) => pattern.test(p)),
      `${pattern} in ${JSON.stringify(found)}`,
    );
  }
});

test('every problem is reported at once', () => {
  assert.equal(problems({ PORT: 'x', RUNBOOK_MODE: 'y', RUNBOOK_EXECUTOR: 'z' }).length, 3);
  assert.equal(
    problems({ RUNBOOK_PS_MAX: '0', RUNBOOK_DELEGATION_DELAY: 'x' }, ['--tenant']).length,
    5,
    'with the missing Entra settings',
  );
});

test('the PowerShell settings: defaults, and seconds read as milliseconds', () => {
  // Without NODE_POWERSHELL: whatever the search finds in the folders pwsh installers use
  // (test/server/executors/powershell/find-pwsh.test.ts).
  const searched = findPwsh({ ...thisPwshSearchHost(), env: {} }).executable;
  assert.deepEqual(loadConfig({}, []).powershell, {
    executable: searched,
    idleMs: 900_000,
    maxSessions: 4,
    callTimeoutMs: 120_000,
  });
  const set = loadConfig(
    {
      NODE_POWERSHELL: '/opt/pwsh/pwsh',
      RUNBOOK_PSMODULEPATH: '/modules',
      RUNBOOK_PS_IDLE: '60',
      RUNBOOK_PS_MAX: '2',
      RUNBOOK_PS_CALL_TIMEOUT: '5',
    },
    [],
  );
  assert.deepEqual(set.powershell, {
    executable: '/opt/pwsh/pwsh',
    modulePath: '/modules',
    idleMs: 60_000,
    maxSessions: 2,
    callTimeoutMs: 5_000,
  });
});

test('the sandbox delays: defaults 45, 20 and 30 seconds, fractions allowed', () => {
  assert.deepEqual(loadConfig({}, []).sandbox, {
    customizationDelayMs: 45_000,
    propagationDelayMs: 20_000,
    delegationDelayMs: 30_000,
  });
  assert.deepEqual(
    loadConfig(
      { RUNBOOK_CUSTOMIZATION_DELAY: '1.5', RUNBOOK_PROPAGATION_DELAY: '0', RUNBOOK_DELEGATION_DELAY: '2' },
      [],
    ).sandbox,
    { customizationDelayMs: 1500, propagationDelayMs: 0, delegationDelayMs: 2000 },
  );
});

test('HOST must be loopback unless listening on the network is asked for explicitly', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1'])
    assert.equal(loadConfig({ HOST: host }, []).host, host);
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'myhost.example']) {
    const [problem] = problems({ HOST: host });
    assert.match(problem!, new RegExp(`^HOST: received "${host.replace(/\./g, '\\.')}", expected a loopback address`));
    assert.match(problem!, /reachable from other machines/);
    assert.match(problem!, /RUNBOOK_ALLOW_NETWORK=1 \(or pass --allow-network\)/);
  }
  assert.equal(loadConfig({ HOST: '0.0.0.0', RUNBOOK_ALLOW_NETWORK: '1' }, []).allowNetwork, true);
  assert.equal(loadConfig({ HOST: '0.0.0.0' }, ['--allow-network']).host, '0.0.0.0');
  assert.equal(loadConfig({}, []).allowNetwork, false);
});
