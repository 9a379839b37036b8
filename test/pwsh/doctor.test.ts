/**
 * `npm run doctor` checks what the mode the companion would start in needs: sandbox mode passes without pwsh or
 * Entra settings (they are "not needed in sandbox mode"), tenant mode names every missing piece (but not optional
 * settings that have defaults), and given an Exchange token it reports its audience, scopes, expiry and tenant and
 * whether Connect-ExchangeOnline accepts it (here: the stand-in and the Exchange-shaped test service), never printing
 * it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startExchangeService, type ExchangeService } from '../fixtures/exchange-online/service.ts';
import { ADMIN, EXCHANGE_RESOURCE, startIdp, TENANT_ID, type TestIdp } from '../fixtures/idp/idp.ts';
import { pwsh, skipWithoutPwsh, STAND_IN_MODULES } from '../support/pwsh-rig.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DOCTOR = path.join(ROOT, 'scripts', 'doctor.ts');
const ENTRA = {
  RUNBOOK_ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  RUNBOOK_ENTRA_TENANT_ID: TENANT_ID,
  RUNBOOK_API_AUDIENCE: 'api://runbook-companion',
};

// What programs need from a clean environment: PATH and HOME, and on Windows the system folders (.NET, so pwsh,
// does not start without SystemRoot).
const BASE_ENV = [
  'PATH',
  'HOME',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramFiles',
  'ProgramData',
  'TEMP',
  'TMP',
]
  .filter((name) => process.env[name] !== undefined)
  .reduce<Record<string, string>>((env, name) => ({ ...env, [name]: process.env[name]! }), {});

/** Runs the doctor with `args` and `env` on top of a clean environment; returns its exit code and output. */
async function doctor(args: string[], env: Record<string, string>): Promise<{ status: number; out: string }> {
  // Asynchronous: the Exchange service the stand-in talks to runs in this very process.
  const r = await promisify(execFile)(process.execPath, [DOCTOR, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    env: {
      ...BASE_ENV,
      RUNBOOK_DATA_DIR: path.join(tmpdir(), 'runbook-doctor'),
      ...env,
    },
  }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
  return { status: r.code, out: r.stdout + r.stderr };
}

test('in sandbox mode it passes without pwsh or Entra settings: what tenant mode needs is not needed here', async () => {
  const { status, out } = await doctor([], { NODE_POWERSHELL: '/nonexistent/pwsh' });
  assert.equal(status, 0, out);
  assert.doesNotMatch(out, /^FAIL/m);
  assert.match(out, /^PASS {2}Configuration: sandbox mode, sandbox executor/m);
  for (const what of ['Entra settings', 'pwsh', 'ExchangeOnlineManagement'])
    assert.match(out, new RegExp(`^SKIP {2}${what}: not needed in sandbox mode`, 'm'));
  assert.match(out, /Ready for sandbox mode: npm start$/m);
});

test('every README section the advice cites is a heading of the README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const headings = new Set([...readme.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.trim()));
  const cited = [...readFileSync(DOCTOR, 'utf8').matchAll(/README, "([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(cited.length >= 3, `the doctor cites ${cited.length} sections`);
  for (const section of cited) assert.ok(headings.has(section), `the README has no section "${section}"`);
});

describe('npm run doctor with pwsh', { skip: skipWithoutPwsh }, () => {
  test('tenant mode names a missing pwsh and every missing required Entra setting, not the optional ones', async () => {
    const { status, out } = await doctor(['--tenant'], { NODE_POWERSHELL: '/nonexistent/pwsh' });
    assert.equal(status, 1);
    assert.match(out, /^FAIL {2}PowerShell did not start \(\/nonexistent\/pwsh\)/m);
    for (const name of ['RUNBOOK_ENTRA_CLIENT_ID', 'RUNBOOK_ENTRA_TENANT_IDS', 'RUNBOOK_API_AUDIENCE'])
      assert.match(out, new RegExp(`^ {6}${name}`, 'm'));
    for (const optional of ['RUNBOOK_API_SCOPE', 'RUNBOOK_ENTRA_AUTHORITY'])
      assert.doesNotMatch(out, new RegExp(optional), `${optional} has a default`);
  });

  test('tenant mode: pwsh found, the stand-in refused for a real tenant, complete Entra settings with their defaults', async () => {
    const { status, out } = await doctor(['--tenant'], {
      NODE_POWERSHELL: pwsh!,
      RUNBOOK_PSMODULEPATH: STAND_IN_MODULES,
      ...ENTRA,
    });
    assert.equal(status, 1);
    assert.match(out, /^PASS {2}Node \d+\.\d+\.\d+ \(needs >= 22\.19\.0\)$/m);
    assert.match(out, /^PASS {2}pwsh 7\.6\.\d+ at .+ \(needs >= 7\.6\)$/m);
    assert.match(out, /^FAIL {2}ExchangeOnlineManagement 3\.9\.2 is the test stand-in/m);
    assert.match(out, /Install-Module ExchangeOnlineManagement -Scope CurrentUser -MinimumVersion 3\.1\.0/);
    assert.match(
      out,
      /^PASS {2}Entra settings: client 11111111-2222-3333-4444-555555555555, .*authority https:\/\/login\.microsoftonline\.com \(default\), scope api:\/\/runbook-companion\/access_as_user \(default\)$/m,
    );
  });

  test('a rehearsal (sandbox mode, PowerShell executor) needs pwsh and accepts the stand-in', async () => {
    const { status, out } = await doctor([], {
      NODE_POWERSHELL: pwsh!,
      RUNBOOK_EXECUTOR: 'powershell',
      RUNBOOK_PSMODULEPATH: STAND_IN_MODULES,
    });
    assert.equal(status, 0, out);
    assert.match(out, /^PASS {2}ExchangeOnlineManagement 3\.9\.2 at .+: the stand-in, as a rehearsal needs$/m);
  });

  describe('given an Exchange token', () => {
    let idp: TestIdp;
    let exchange: ExchangeService;
    let dir: string;
    /** Writes `token` to a file and runs the tenant-mode doctor on it, connecting through the stand-in. */
    const withToken = async (token: string) => {
      const file = path.join(dir, `token-${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, `${token}\n`, { mode: 0o600 });
      const result = await doctor(['--tenant', '--exchange-token-file', file], {
        NODE_POWERSHELL: pwsh!,
        RUNBOOK_PSMODULEPATH: STAND_IN_MODULES,
        ...ENTRA,
        ...exchange.env,
      });
      assert.ok(
        !result.out.includes(token) && !result.out.includes(token.split('.')[2]!),
        'the token is never printed',
      );
      return result;
    };
    const claims = { tid: TENANT_ID, oid: ADMIN.oid, upn: ADMIN.upn };

    before(async () => {
      idp = await startIdp({
        port: 0,
        redirectUris: ['http://127.0.0.1/redirect-bridge/'],
        apiResource: 'api://runbook-companion',
      });
      exchange = await startExchangeService({ issuer: idp.issuer, ca: readFileSync(idp.certs.caFile) });
      dir = mkdtempSync(path.join(tmpdir(), 'runbook-doctor-'));
    });
    after(async () => {
      await exchange?.close();
      await idp?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('a good one: audience, scopes, expiry and tenant pass, and Connect-ExchangeOnline accepts it', async () => {
      const { out } = await withToken(
        await idp.mint({ ...claims, aud: EXCHANGE_RESOURCE, scp: 'Exchange.Manage' }, '30m'),
      );
      assert.match(out, /^PASS {2}Exchange token audience: https:\/\/outlook\.office365\.com$/m);
      assert.match(out, /^PASS {2}Exchange token scopes: Exchange\.Manage$/m);
      assert.match(out, /^PASS {2}Exchange token expiry: \d{4}-\d\d-\d\dT/m);
      assert.match(out, new RegExp(`^PASS {2}Exchange token tenant: ${TENANT_ID}$`, 'm'));
      assert.match(out, /^PASS {2}Connect-ExchangeOnline accepted the token for admin@contoso\.onmicrosoft\.com$/m);
    });

    test("one without Exchange.Manage, for the companion's audience: each problem named with its fix, and Exchange's refusal", async () => {
      const { status, out } = await withToken(
        await idp.mint({ ...claims, aud: 'api://runbook-companion', scp: 'access_as_user' }, '30m'),
      );
      assert.equal(status, 1);
      assert.match(
        out,
        /^FAIL {2}Exchange token audience: api:\/\/runbook-companion\n {6}-> It is for api:\/\/runbook-companion, not for https:\/\/outlook\.office365\.com/m,
      );
      assert.match(
        out,
        /^FAIL {2}Exchange token scopes: access_as_user\n {6}-> .*add the delegated permission Exchange\.Manage of Office 365 Exchange Online, grant admin consent/m,
      );
      assert.match(
        out,
        /^FAIL {2}Connect-ExchangeOnline refused the token for admin@contoso\.onmicrosoft\.com: UnAuthorized$/m,
      );
      assert.deepEqual(exchange.refusals.slice(-1), ['aud not accepted']);
    });

    test('an expired one, and a file that is not a token', async () => {
      const expired = await withToken(
        await idp.mint(
          { ...claims, aud: EXCHANGE_RESOURCE, scp: 'Exchange.Manage' },
          Math.floor(Date.now() / 1000) - 60,
        ),
      );
      assert.match(
        expired.out,
        /^FAIL {2}Exchange token expiry: .+\n {6}-> It expired on .+: reload the page \(or sign in again\)/m,
      );
      assert.match(expired.out, /^FAIL {2}Connect-ExchangeOnline refused the token .+: UnAuthorized$/m);
      const garbage = await withToken('not-a-token');
      assert.match(garbage.out, /^FAIL {2}Exchange token: not a JWT access token$/m);
    });
  });
});
