/**
 * The production path over HTTP, with no sandbox anywhere: `node server/main.ts` in tenant mode with
 * RUNBOOK_EXECUTOR=powershell, Entra-shaped tokens signed by the test IdP (test/fixtures/idp), one real pwsh 7.6 per
 * admin loading the stand-in ExchangeOnlineManagement, which connects with the admin's Exchange token to the
 * Exchange-shaped test service (test/fixtures/exchange-online) and is checked there as Exchange Online checks it.
 * Both guides run on contoso (as in 2023); then the token problems an admin meets: an Exchange token that expires
 * while a step waits (Exchange refuses the next check), its renewal handed over mid-wait (a fresh pwsh); one already
 * expired, one with only Exchange.ManageV2, one for another user, one for another tenant (all refused by the companion
 * before any PowerShell runs); one only Exchange can refuse (a forged signature: UnAuthorized, explained); and the
 * stand-in's own refusals, straight through pwsh.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { RunRecord } from '../../src/runbook/api.ts';
import { getStep } from '../../src/runbook/catalog.ts';
import type { ResultTable, StepId } from '../../src/runbook/core/step.ts';
import { CONTOSO_EWS_CONNECTOR } from '../../server/sandbox/tenants/contoso.ts';
import { startExchangeService, type ExchangeService } from '../fixtures/exchange-online/service.ts';
import { ADMIN, EXCHANGE_RESOURCE, SPA_CLIENT_ID, startIdp, TENANT_ID, type TestIdp } from '../fixtures/idp/idp.ts';
import { FABRIKAM, pwsh, skipWithoutPwsh, STAND_IN_MANIFEST, STAND_IN_MODULES } from '../support/pwsh-rig.ts';
import { pwshSessionsOf } from '../support/pwsh.ts';
import { rawRequest, readEvents, type Reply } from '../support/server.ts';
import { startChild, type ChildServer } from '../support/child-server.ts';

const API_RESOURCE = 'api://exchange-runbook';
const GROUP = { name: 'EWS Application Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'] };
const SCOPE = { name: 'EWS-Archive mailboxes', filter: "CustomAttribute1 -eq 'EWS-Archive'" };
const CONNECTOR = {
  appId: CONTOSO_EWS_CONNECTOR.appId,
  objectId: CONTOSO_EWS_CONNECTOR.servicePrincipalObjectId,
  displayName: CONTOSO_EWS_CONNECTOR.displayName,
};
const OTHER_USER = { oid: '0c0e7d10-0000-4000-8000-0000000ad312', upn: 'megan.bowen@contoso.onmicrosoft.com' };

describe('the production path: tenant mode, real pwsh, Exchange checking the token', { skip: skipWithoutPwsh }, () => {
  let idp: TestIdp;
  let exchange: ExchangeService;
  let companion: ChildServer;
  let dataDir: string;
  let accessToken: string;
  let exchangeToken: string;
  /** How far Exchange's clock runs ahead of this one (the service checks token expiry against it). */
  let skew = 0;

  /** A token signed by the test IdP for the contoso admin (or `claims` over it). */
  const mint = (claims: JWTPayload, exp: string | number = '30m') =>
    idp.mint(
      {
        tid: TENANT_ID,
        oid: ADMIN.oid,
        upn: ADMIN.upn,
        preferred_username: ADMIN.upn,
        name: ADMIN.name,
        azp: SPA_CLIENT_ID,
        ver: '2.0',
        ...claims,
      },
      exp,
    );
  /** An Exchange token as Entra issues it for https://outlook.office365.com/.default with Exchange.Manage consented. */
  const mintExchange = (claims: JWTPayload = {}, exp?: string | number) =>
    mint({ aud: EXCHANGE_RESOURCE, scp: 'Exchange.Manage', ...claims }, exp);

  /** One API call as the signed-in admin, with `exchange` as X-Exchange-Token. */
  const call = (
    pathname: string,
    {
      method = 'GET',
      body,
      exchangeWith = exchangeToken,
    }: { method?: string; body?: unknown; exchangeWith?: string } = {},
  ): Promise<Reply> =>
    rawRequest(companion.port, pathname, {
      method,
      token: accessToken,
      body,
      headers: { 'x-exchange-token': exchangeWith },
    });

  /** Starts a run and reads its event stream to the end; returns the final record. */
  async function run(step: StepId, params: unknown = {}, exchangeWith = exchangeToken): Promise<RunRecord> {
    const started = await call('/api/runs', { method: 'POST', body: { step, params }, exchangeWith });
    assert.equal(started.status, 202, started.text);
    const { events } = await readEvents(
      companion.port,
      `/api/runs/${started.json.id}/events`,
      accessToken,
      { 'x-exchange-token': exchangeWith },
      120_000,
    );
    return events.find((e) => e.event === 'end')!.data as RunRecord;
  }
  /** Runs a step and asserts it succeeded. */
  async function succeeded(step: StepId, params: unknown = {}): Promise<RunRecord> {
    const record = await run(step, params);
    assert.equal(record.status, 'succeeded', `${step}: ${JSON.stringify(record.error)}`);
    return record;
  }
  /** The companion's pwsh sessions, by pid. */
  const pwshProcesses = () => pwshSessionsOf(companion.pid);
  /** Asserts the run failed with Exchange's refusal, explained by the companion with `action`. */
  function refusedExplained(record: RunRecord, action: RegExp): void {
    assert.equal(record.status, 'failed');
    assert.equal(record.error?.message, 'UnAuthorized');
    assert.equal(record.error?.known, 'exchange-token-refused');
    assert.match(record.error?.explanation?.meaning ?? '', /^Exchange Online refused the Exchange token/);
    assert.match(record.error?.explanation?.action ?? '', action);
    assert.equal(record.error?.guide, '/guides/application-impersonation/#error-unauthorized');
  }

  before(async () => {
    idp = await startIdp({ port: 0, redirectUris: ['http://127.0.0.1/redirect-bridge/'], apiResource: API_RESOURCE });
    const authority = new URL(idp.issuer).origin;
    exchange = await startExchangeService({
      issuer: idp.issuer,
      ca: readFileSync(idp.certs.caFile),
      tenants: [TENANT_ID, FABRIKAM],
      // IsDehydrated reads False 3 s after Enable-OrganizationCustomization; writes work as soon as it does.
      customizationDelayMs: 3_000,
      propagationDelayMs: 0,
      delegationDelayMs: 0,
      now: () => Date.now() + skew,
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'runbook-production-'));
    companion = await startChild('server/main.ts', {
      PORT: '0',
      RUNBOOK_MODE: 'tenant',
      RUNBOOK_EXECUTOR: 'powershell',
      RUNBOOK_DATA_DIR: dataDir,
      RUNBOOK_ENTRA_CLIENT_ID: SPA_CLIENT_ID,
      RUNBOOK_ENTRA_TENANT_ID: TENANT_ID,
      RUNBOOK_ENTRA_AUTHORITY: authority,
      RUNBOOK_API_AUDIENCE: API_RESOURCE,
      NODE_EXTRA_CA_CERTS: idp.certs.caFile,
      NODE_POWERSHELL: pwsh!,
      RUNBOOK_PSMODULEPATH: STAND_IN_MODULES,
      ...exchange.env,
    });
    accessToken = await mint({ aud: API_RESOURCE, scp: 'access_as_user' });
    exchangeToken = await mintExchange();
  });
  after(async () => {
    await companion?.stop();
    await exchange?.close();
    await idp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("tenant mode with the PowerShell executor; warming connects the admin's own pwsh with their Exchange token", async () => {
    const health = await rawRequest(companion.port, '/api/health');
    assert.deepEqual([health.json.mode, health.json.executor], ['tenant', 'powershell']);
    const started = Date.now();
    const warm = await call('/api/session/warm', { method: 'POST', body: {} });
    assert.deepEqual(warm.json, { status: 'ready', executor: 'powershell' }, warm.text);
    const first = await call('/api/steps/check-dehydrated/probe', { method: 'POST', body: {} });
    assert.equal(first.status, 200, first.text);
    console.log(`# warm (spawn + import + Connect-ExchangeOnline) then first probe: ${Date.now() - started} ms`);
    assert.equal(first.json.state, 'needed');
    assert.ok(pwshProcesses().length >= 1, 'a pwsh runs for the admin');
    assert.deepEqual(exchange.refusals, []);
  });

  test('the seed guide: the dehydrated failure explained, customization enabled, the wait, the group created, undone', async () => {
    await succeeded('check-impersonation-role');
    const dehydrated = await run('create-role-group', GROUP);
    assert.equal(dehydrated.status, 'failed');
    assert.equal(
      dehydrated.error?.message,
      "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    );
    assert.equal(dehydrated.error?.known, 'organization-not-customized');
    assert.ok(dehydrated.error?.explanation?.action);
    await succeeded('enable-customization');
    const waited = await succeeded('check-dehydrated');
    assert.ok(
      waited.output.some((o) => o.kind === 'wait'),
      'IsDehydrated read True at first: the step waited',
    );
    await succeeded('create-role-group', GROUP);
    const found = await exchange.simulator.invoke(TENANT_ID, {
      cmdlet: 'Get-RoleGroup',
      params: { Identity: GROUP.name },
    });
    assert.ok(found.ok, 'Exchange holds the role group');
    await succeeded('remove-role-group', { name: GROUP.name });
    const gone = await exchange.simulator.invoke(TENANT_ID, {
      cmdlet: 'Get-RoleGroup',
      params: { Identity: GROUP.name },
    });
    assert.equal(gone.ok, false, 'the role group is gone');
  });

  test('the RBAC guide on the customized contoso: register, scope, assign, test, then undo in reverse order', async () => {
    const found = await succeeded('find-impersonation-assignments');
    // contoso seeds no custom ApplicationImpersonation assignment (a dehydrated organization cannot have made one),
    // and the seed guide's role group was removed above: nothing holds the role.
    const leftovers = found.output.find((o) => o.kind === 'result')?.data as Array<{ Name: string }>;
    assert.deepEqual(
      leftovers.map((a) => a.Name),
      [],
    );
    await succeeded('create-service-principal', CONNECTOR);
    await succeeded('create-management-scope', SCOPE);
    const assign = { app: CONNECTOR.appId, role: 'Application Mail.Read', scope: SCOPE.name };
    await succeeded('assign-application-role', assign);
    const tested = await succeeded('test-app-authorization', { app: CONNECTOR.appId });
    // The answer is one table of Mailbox and InScope (test-app-authorization's result line).
    const table = tested.output.map((o) => (o.data as { table?: ResultTable } | undefined)?.table).find(Boolean)!;
    assert.deepEqual(table.columns, ['Mailbox', 'InScope']);
    const rows = table.rows.map(([Mailbox, InScope]) => ({ Mailbox: Mailbox as string, InScope: InScope as boolean }));
    assert.deepEqual(
      rows
        .filter((r) => r.InScope)
        .map((r) => r.Mailbox)
        .sort(),
      ['alex.wilber@contoso.onmicrosoft.com', 'finance@contoso.onmicrosoft.com'],
    );
    assert.equal(rows.length, 6, 'every contoso mailbox tested');
    for (const [id, params] of [
      ['assign-application-role', assign],
      ['create-management-scope', SCOPE],
      ['create-service-principal', CONNECTOR],
    ] as const) {
      const step = getStep(id)!;
      await succeeded(step.undo!.step, step.undo!.params(step.params.parse(params)));
    }
    assert.deepEqual(exchange.refusals, []);
  });

  /** Reads the run until `done` holds for it (or the time is up). */
  async function watch(id: string, done: (record: RunRecord) => boolean, timeoutMs = 60_000): Promise<RunRecord> {
    for (const until = Date.now() + timeoutMs; ;) {
      const record = (await call(`/api/runs/${id}`)).json as RunRecord;
      if (done(record) || Date.now() > until) return record;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  /** Starts the IsDehydrated wait on a dehydrated contoso and returns once its first check has read True. */
  async function waitingForDehydrated(): Promise<string> {
    await exchange.simulator.reset(TENANT_ID);
    const started = await call('/api/runs', { method: 'POST', body: { step: 'check-dehydrated', params: {} } });
    assert.equal(started.status, 202, started.text);
    const waiting = await watch(started.json.id, (r) => r.output.some((o) => o.kind === 'wait'));
    assert.equal(waiting.status, 'running', 'the step waits for IsDehydrated');
    return started.json.id;
  }

  test('an Exchange token that expires while a step waits: Exchange refuses the next check, and the run says what to do', async () => {
    const id = await waitingForDehydrated();
    exchange.refusals.length = 0;
    skew = 2 * 3600_000; // Two hours on for Exchange: the admin's 30-minute token has expired there.
    const ended = await watch(id, (r) => r.status !== 'running');
    skew = 0;
    refusedExplained(ended, /fresh token/);
    assert.deepEqual(exchange.refusals, ['expired']);
  });

  test('a renewed Exchange token handed over during the wait (as the page does): a fresh pwsh connects, and the wait goes on to the end', async () => {
    const id = await waitingForDehydrated();
    const before = pwshProcesses();
    const renewed = await mintExchange({}, '3h');
    skew = 2 * 3600_000; // The first token has expired for Exchange; the renewed one has not.
    exchange.refusals.length = 0;
    const warm = await call('/api/session/warm', { method: 'POST', body: {}, exchangeWith: renewed });
    assert.deepEqual(warm.json, { status: 'ready', executor: 'powershell' }, warm.text);
    // Another admin enables customization meanwhile; IsDehydrated reads False 3 s later.
    assert.ok(
      (await exchange.simulator.invoke(TENANT_ID, { cmdlet: 'Enable-OrganizationCustomization', params: {} })).ok,
    );
    const ended = await watch(id, (r) => r.status !== 'running');
    skew = 0;
    assert.equal(ended.status, 'succeeded', JSON.stringify(ended.error));
    assert.deepEqual(exchange.refusals, [], 'every check after the hand-over used the renewed token');
    const after = pwshProcesses();
    assert.ok(
      after.length > 0 && after.every((pid) => !before.includes(pid)),
      'the renewed token runs in a fresh pwsh; the old one is gone',
    );
  });

  /** A token with every claim right, signed by a key the IdP does not publish: only Exchange can tell. */
  async function forgedExchangeToken(claims: JWTPayload = {}): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({
      aud: EXCHANGE_RESOURCE,
      scp: 'Exchange.Manage',
      tid: TENANT_ID,
      oid: ADMIN.oid,
      upn: ADMIN.upn,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
      .setIssuer(idp.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }

  /**
   * Asserts the companion refuses the Exchange token before any PowerShell runs, on every call that would use it, with
   * `status`, `code` and a message that says what to fix; Exchange never sees it and no pwsh is started or replaced.
   */
  async function refusedEarly(exchangeWith: string, status: number, code: string, message: RegExp): Promise<void> {
    const before = pwshProcesses();
    const newest = (await call('/api/runs?limit=1')).json[0]?.id;
    exchange.refusals.length = 0;
    const calls: Array<[string, unknown]> = [
      ['/api/runs', { step: 'check-impersonation-role', params: {} }],
      ['/api/steps/check-dehydrated/probe', {}],
      ['/api/session/warm', {}],
    ];
    for (const [pathname, body] of calls) {
      const reply = await call(pathname, { method: 'POST', body, exchangeWith });
      assert.deepEqual(
        [reply.status, reply.json?.error?.code, reply.json?.error?.field],
        [status, code, 'X-Exchange-Token'],
        `${pathname}: ${reply.text}`,
      );
      assert.match(reply.json.error.message, message);
      assert.ok(!reply.text.includes(exchangeWith), 'the token is not echoed');
    }
    assert.deepEqual(exchange.refusals, [], 'the token never reached Exchange');
    assert.deepEqual(pwshProcesses(), before, 'no PowerShell process was started or replaced');
    assert.equal((await call('/api/runs?limit=1')).json[0]?.id, newest, 'no run was recorded');
  }

  test('an Exchange token that has already expired: refused before any PowerShell runs, saying when it expired', async () => {
    const expired = await mintExchange({}, Math.floor(Date.now() / 1000) - 60);
    await refusedEarly(
      expired,
      401,
      'exchange_token_expired',
      /^X-Exchange-Token: It expired on \d{4}-\d\d-\d\dT.+: reload the page/,
    );
  });

  test('a token with only Exchange.ManageV2: refused before any PowerShell runs, saying what to grant', async () => {
    const noScope = await mintExchange({ scp: 'Exchange.ManageV2' });
    await refusedEarly(
      noScope,
      403,
      'exchange_token_scope',
      /^X-Exchange-Token: Its scopes are Exchange\.ManageV2, without Exchange\.Manage: .*grant admin consent/,
    );
  });

  test('a token for another user of the tenant: refused before any PowerShell runs, naming both accounts', async () => {
    const otherUser = await mintExchange({
      oid: OTHER_USER.oid,
      upn: OTHER_USER.upn,
      preferred_username: OTHER_USER.upn,
    });
    await refusedEarly(
      otherUser,
      403,
      'exchange_token_other_admin',
      /another account \(megan\.bowen@contoso\.onmicrosoft\.com\) than the one you are signed in as \(admin@contoso\.onmicrosoft\.com\)/,
    );
  });

  test('a token for another tenant: refused before any PowerShell runs, naming the tenant', async () => {
    await refusedEarly(
      await mintExchange({ tid: FABRIKAM }),
      403,
      'exchange_token_other_admin',
      new RegExp(`another tenant \\(${FABRIKAM}\\)`),
    );
  });

  test('a token whose claims look right but Exchange refuses (forged signature): Connect answers UnAuthorized, explained', async () => {
    const forged = await forgedExchangeToken();
    exchange.refusals.length = 0;
    refusedExplained(await run('check-impersonation-role', {}, forged), /fresh token.*Exchange\.Manage/);
    assert.match(exchange.refusals.join(), /^not verified/);
    const probe = await call('/api/steps/check-dehydrated/probe', { method: 'POST', body: {}, exchangeWith: forged });
    assert.deepEqual([probe.status, probe.json.error.code], [502, 'exchange_connect_failed'], probe.text);
    assert.match(
      probe.json.error.message,
      /^Connect-ExchangeOnline failed for admin@contoso\.onmicrosoft\.com: UnAuthorized\. /,
    );
    assert.ok(!probe.text.includes(forged));
    // And the admin's own token works again at once.
    assert.equal((await run('check-impersonation-role')).status, 'succeeded');
  });

  test('the stand-in itself, through pwsh: Connect-ExchangeOnline refuses with UnAuthorized exactly as the module does, and accepts a good token', async () => {
    const forged = await forgedExchangeToken();
    const cases: Array<[string, string, string]> = [
      ['forged signature', forged, '^not verified'],
      ['expired', await mintExchange({}, Math.floor(Date.now() / 1000) - 60), '^expired$'],
      ['companion audience', await mint({ aud: API_RESOURCE, scp: 'access_as_user' }), '^aud not accepted$'],
      ['no Exchange.Manage', await mintExchange({ scp: 'User.Read' }), '^scp without Exchange.Manage'],
      ['another user', await mintExchange({ upn: OTHER_USER.upn }), '^token for megan'],
      ['another tenant, so not its issuer', await mintExchange({ tid: FABRIKAM }), '^iss not accepted$'],
    ];
    exchange.refusals.length = 0;
    const results = await connectThroughPwsh([...cases.map(([, token]) => token), await mintExchange()]);
    cases.forEach(([name, , reason], i) => {
      assert.deepEqual(
        [results[i]!.connected, results[i]!.message, results[i]!.type],
        [false, 'UnAuthorized', 'System.UnauthorizedAccessException'],
        name,
      );
      assert.match(exchange.refusals[i] ?? '', new RegExp(reason), name);
    });
    const good = results.at(-1)!;
    const config = await exchange.simulator.invoke(TENANT_ID, { cmdlet: 'Get-OrganizationConfig', params: {} });
    const dehydrated = config.ok ? (config.data as { IsDehydrated: boolean }).IsDehydrated : undefined;
    assert.deepEqual(
      [good.connected, good.tenant, good.dehydrated],
      [true, TENANT_ID, dehydrated],
      'the tenant as Exchange holds it',
    );
    assert.equal(exchange.refusals.length, cases.length, 'the good token was accepted on Connect and on the cmdlet');
  });

  /**
   * Imports the stand-in in one plain pwsh and, for each token (through the environment, never in the script),
   * connects with it and reads IsDehydrated; returns what happened for each.
   */
  async function connectThroughPwsh(
    tokens: string[],
  ): Promise<Array<{ connected: boolean; message?: string; type?: string; tenant?: string; dehydrated?: boolean }>> {
    const script = `
      Import-Module $env:TEST_STAND_IN
      $results = foreach ($token in (ConvertFrom-Json $env:TEST_TOKENS)) {
        try {
          Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $env:TEST_UPN -ShowBanner:$false -ErrorAction Stop
          $c = Get-ConnectionInformation
          @{ connected = $true; tenant = $c.TenantID; dehydrated = (Get-OrganizationConfig).IsDehydrated }
        } catch { @{ connected = $false; message = $_.Exception.Message; type = $_.Exception.GetType().FullName } }
      }
      ConvertTo-Json -Compress -InputObject @($results)`;
    const env = {
      ...process.env,
      ...exchange.env,
      TEST_STAND_IN: STAND_IN_MANIFEST,
      TEST_TOKENS: JSON.stringify(tokens),
      TEST_UPN: ADMIN.upn,
    };
    const encoded = Buffer.from(script, 'utf16le').toString('base64');
    const { stdout } = await promisify(execFile)(pwsh!, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    return JSON.parse(stdout.split('\n').find((line) => line.startsWith('['))!);
  }
});
