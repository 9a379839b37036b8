/**
 * The Exchange token (X-Exchange-Token) must be the signed-in admin's own (tid and oid of the verified API token), for
 * Exchange Online, unexpired and with Exchange.Manage; anything else is refused with a 4xx naming what is wrong and
 * what to grant, before any PowerShell process starts or is reused. With the sandbox executor, through real pwsh
 * (rehearsal and tenant mode), and in tenant mode against an Entra-shaped issuer. Before this, a contoso admin's API
 * token with fabrikam's Exchange token ran in fabrikam while the record said contoso.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { SandboxSignInResponse } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import { processTree } from '../../server/executors/powershell/process-tree.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import {
  CONTOSO_ADMIN,
  decodeParts,
  FABRIKAM_ADMIN,
  signWithSandboxKey,
  startServer,
  type TestServer,
} from '../support/server.ts';
import { pwsh, skipWithoutPwsh, startRig, STAND_IN_MODULES, type Rig } from '../support/pwsh-rig.ts';
import { ALICE, BOB, startTenantServer, type TenantServer } from '../support/tenant-server.ts';
import {
  assertRefused,
  CONTOSO_TID,
  FABRIKAM_TID,
  hostileServer,
  send,
  type Expected,
  type Hostile,
} from '../support/security.ts';

const FIELD = 'X-Exchange-Token';
const OTHER_ADMIN: Expected = { status: 403, code: 'exchange_token_other_admin', field: FIELD };
const AUDIENCE: Expected = { status: 401, code: 'exchange_token_audience', field: FIELD };
const EXPIRED: Expected = { status: 401, code: 'exchange_token_expired', field: FIELD };
const SCOPE: Expected = { status: 403, code: 'exchange_token_scope', field: FIELD };

/** The routes that hand the Exchange token to an executor (POST /api/runs asks for the irreversible step). */
const ROUTES: Array<[string, { path: string; body: unknown }]> = [
  ['probe', { path: '/api/steps/check-impersonation-role/probe', body: {} }],
  ['run', { path: '/api/runs', body: { step: 'enable-customization' } }],
  ['warm', { path: '/api/session/warm', body: {} }],
];

/** The pwsh processes this test process has started (the companion runs in process). */
const pwshProcesses = () => processTree(process.pid).slice(1).length;

describe('sandbox executor: a foreign, misdirected, expired or under-scoped Exchange token is refused', () => {
  let h: Hostile;
  const tokens = new Map<string, [string, Expected]>();
  before(async () => {
    h = await hostileServer();
    const { header, payload } = decodeParts(h.contoso.exchangeToken);
    const sign = (changes: Record<string, unknown>) =>
      signWithSandboxKey(h.server.dataDir, { ...payload, ...changes }, { kid: header.kid, typ: 'JWT' });
    const now = Math.floor(Date.now() / 1000);
    tokens.set("fabrikam's Exchange token (another tenant)", [h.fabrikam.exchangeToken, OTHER_ADMIN]);
    tokens.set("another contoso user's Exchange token", [
      await sign({ oid: '11111111-2222-4333-8444-555555555555', upn: 'other@contoso.onmicrosoft.com' }),
      OTHER_ADMIN,
    ]);
    tokens.set('the companion token sent as the Exchange token', [h.contoso.accessToken, AUDIENCE]);
    tokens.set('a token for Microsoft Graph', [await sign({ aud: 'https://graph.microsoft.com' }), AUDIENCE]);
    tokens.set('expired a minute ago', [await sign({ iat: now - 3600, exp: now - 60 }), EXPIRED]);
    tokens.set('Exchange.ManageV2 only', [await sign({ scp: 'Exchange.ManageV2' }), SCOPE]);
    tokens.set('no scope at all', [await sign({ scp: undefined }), SCOPE]);
  });
  after(() => h.close());

  for (const name of [
    "fabrikam's Exchange token (another tenant)",
    "another contoso user's Exchange token",
    'the companion token sent as the Exchange token',
    'a token for Microsoft Graph',
    'expired a minute ago',
    'Exchange.ManageV2 only',
    'no scope at all',
  ]) {
    for (const [route, { path, body }] of ROUTES) {
      test(`${name}: ${route}`, async () => {
        const [exchange, expected] = tokens.get(name)!;
        const before = await h.snapshot();
        const reply = await send(h, path, {
          method: 'POST',
          token: h.contoso.accessToken,
          body,
          headers: { 'x-exchange-token': exchange },
        });
        await assertRefused(h, reply, expected, before, [exchange.split('.')[2]!]);
      });
    }
  }

  test('the scope refusal says what to grant', async () => {
    const reply = await send(h, '/api/steps/check-impersonation-role/probe', {
      method: 'POST',
      token: h.contoso.accessToken,
      body: {},
      headers: { 'x-exchange-token': tokens.get('Exchange.ManageV2 only')![0] },
    });
    assert.match(
      reply.json.error.message,
      /^X-Exchange-Token: Its scopes are Exchange\.ManageV2, without Exchange\.Manage: in the app registration add the delegated permission Exchange\.Manage of Office 365 Exchange Online, grant admin consent/,
    );
  });

  test("the admin's own Exchange token, and one whose aud is Exchange Online's application id, are accepted", async () => {
    const { header, payload } = decodeParts(h.contoso.exchangeToken);
    const guid = await signWithSandboxKey(
      h.server.dataDir,
      { ...payload, aud: '00000002-0000-0ff1-ce00-000000000000' },
      { kid: header.kid, typ: 'JWT' },
    );
    for (const exchange of [h.contoso.exchangeToken, guid]) {
      const reply = await send(h, '/api/steps/check-impersonation-role/probe', {
        method: 'POST',
        token: h.contoso.accessToken,
        body: {},
        headers: { 'x-exchange-token': exchange },
      });
      assert.equal(reply.status, 200, reply.text);
    }
  });
});

describe(
  'rehearsal (real pwsh): the Exchange token is bound to the admin before any process starts or is reused',
  { skip: skipWithoutPwsh },
  () => {
    let server: TestServer;
    let contoso: SandboxSignInResponse;
    let fabrikam: SandboxSignInResponse;
    before(async () => {
      server = await startServer({
        env: { RUNBOOK_EXECUTOR: 'powershell', RUNBOOK_PSMODULEPATH: STAND_IN_MODULES, NODE_POWERSHELL: pwsh! },
      });
      contoso = await server.signIn(CONTOSO_ADMIN);
      fabrikam = await server.signIn(FABRIKAM_ADMIN);
    });
    after(() => server?.close(true));

    const probe = (exchange: string) =>
      server.request('/api/steps/check-impersonation-role/probe', {
        method: 'POST',
        token: contoso.accessToken,
        body: {},
        headers: { 'x-exchange-token': exchange },
      });

    test("contoso's API token with fabrikam's Exchange token: 403 on every route, and no pwsh is started", async () => {
      for (const [route, { path, body }] of ROUTES) {
        const reply = await server.request(path, {
          method: 'POST',
          token: contoso.accessToken,
          body,
          headers: { 'x-exchange-token': fabrikam.exchangeToken },
        });
        assert.deepEqual(
          [reply.status, reply.json?.error?.code, reply.json?.error?.field],
          [403, 'exchange_token_other_admin', FIELD],
          `${route}: ${reply.text}`,
        );
        assert.equal(pwshProcesses(), 0, `${route}: no PowerShell process was started`);
      }
      const runs = await server.request('/api/runs', { token: contoso.accessToken });
      assert.deepEqual(runs.json, [], 'no run was recorded');
    });

    test("a warm session is never reused with another identity's token: same process, still contoso", async () => {
      const own = await probe(contoso.exchangeToken);
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.state, 'done', 'contoso (as in 2023) still has ApplicationImpersonation');
      const before = processTree(process.pid).slice(1).sort();
      assert.ok(before.length > 0, 'the session runs');
      const foreign = await probe(fabrikam.exchangeToken);
      assert.deepEqual([foreign.status, foreign.json.error.code], [403, 'exchange_token_other_admin']);
      // A new token of the same admin would reconnect in a fresh process; a refused one must not even get that far.
      const again = await probe(contoso.exchangeToken);
      assert.equal(again.json.state, 'done', 'still answered by contoso, not fabrikam (where the role is gone)');
      assert.deepEqual(processTree(process.pid).slice(1).sort(), before, 'the same process, not replaced');
    });
  },
);

describe('tenant mode: the Exchange token of another user or tenant, audience, expiry and scope', () => {
  let server: TenantServer;
  before(async () => {
    server = await startTenantServer();
  });
  after(() => server.close());

  const cases: Array<[string, () => Promise<string>, Expected]> = [
    ["Bob's Exchange token with Alice's API token", () => server.exchangeToken({}, BOB), OTHER_ADMIN],
    ['an Exchange token of another tenant', () => server.exchangeToken({ tid: FABRIKAM_TID }), OTHER_ADMIN],
    [
      'an Exchange token for another audience',
      () => server.exchangeToken({ aud: 'https://graph.microsoft.com' }),
      AUDIENCE,
    ],
    ['an Exchange token with no Exchange scope', () => server.exchangeToken({ scp: 'User.Read' }), SCOPE],
    ['an expired Exchange token', () => server.exchangeToken({ exp: Math.floor(Date.now() / 1000) - 5 }), EXPIRED],
  ];
  for (const [name, make, expected] of cases) {
    for (const [route, { path, body }] of ROUTES) {
      test(`${name}: ${route}`, async () => {
        const token = await server.apiToken();
        const reply = await server.request(path, {
          method: 'POST',
          token,
          body,
          headers: { 'x-exchange-token': await make() },
        });
        assert.deepEqual(
          [reply.status, reply.json?.error?.code, reply.json?.error?.field],
          [expected.status, expected.code, FIELD],
          reply.text,
        );
        assert.ok(reply.json.error.message.startsWith(`${FIELD}: `));
        assert.deepEqual((await server.request('/api/runs', { token })).json, [], 'no run was recorded');
      });
    }
  }

  test("Alice's own Exchange token (URL or application id audience) is accepted", async () => {
    for (const aud of ['https://outlook.office365.com', '00000002-0000-0ff1-ce00-000000000000']) {
      const reply = await server.request('/api/steps/check-impersonation-role/probe', {
        method: 'POST',
        token: await server.apiToken(),
        body: {},
        headers: { 'x-exchange-token': await server.exchangeToken({ aud }) },
      });
      assert.equal(reply.status, 200, reply.text);
    }
  });
});

describe(
  "tenant mode through real pwsh: Bob's Exchange token never reaches a session of Alice",
  { skip: skipWithoutPwsh },
  () => {
    let server: TenantServer;
    let rig: Rig;
    const alice: Actor = { tid: CONTOSO_TID, oid: ALICE.oid, upn: ALICE.upn };
    before(async () => {
      const simulator = new ExchangeSimulator();
      // Exchange Online checks the token's signature; the bridge here only reads which tenant it is for.
      rig = await startRig(
        (tid, call) => simulator.invoke(tid, call),
        {},
        async (token) => ({ tid: String(decodeJwt(token).tid) }),
      );
      server = await startTenantServer({ executor: () => rig.executor });
    });
    after(async () => {
      await server?.close();
      await rig?.close();
    });

    test("refused with 403 before any pwsh starts or any cmdlet reaches Exchange; Alice's own token works", async () => {
      const token = await server.apiToken();
      const foreign = await server.request('/api/steps/check-impersonation-role/probe', {
        method: 'POST',
        token,
        body: {},
        headers: { 'x-exchange-token': await server.exchangeToken({}, BOB) },
      });
      assert.deepEqual([foreign.status, foreign.json.error.code], [403, 'exchange_token_other_admin'], foreign.text);
      assert.equal(rig.executor.processOf(alice), undefined, 'no process for Alice');
      assert.equal(rig.received.length, 0, 'no cmdlet reached Exchange');
      const own = await server.request('/api/steps/check-impersonation-role/probe', {
        method: 'POST',
        token,
        body: {},
        headers: { 'x-exchange-token': await server.exchangeToken() },
      });
      assert.equal(own.status, 200, own.text);
      assert.ok(
        rig.received.length > 0 && rig.received.every((r) => r.tid === CONTOSO_TID),
        "answered by Alice's tenant",
      );
    });
  },
);
