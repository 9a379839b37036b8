/** `npm run doctor` says, line by line, what is missing for tenant mode and exits non-zero until all is there. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pwsh, skipWithoutPwsh, STAND_IN_MODULES } from '../support/pwsh-rig.ts';

const DOCTOR = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'doctor.ts');
const ENTRA = {
  RUNBOOK_ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  RUNBOOK_ENTRA_TENANT_ID: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001',
  RUNBOOK_API_AUDIENCE: 'api://runbook-companion',
};

/** Runs the doctor with `env` on top of a clean environment; returns its exit code and output. */
function doctor(env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [DOCTOR], { encoding: 'utf8', timeout: 90_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm run doctor', { skip: skipWithoutPwsh }, () => {
  test('reports pwsh, refuses the stand-in module for a real tenant, and accepts complete Entra settings', () => {
    const { status, out } = doctor({ NODE_POWERSHELL: pwsh!, RUNBOOK_PSMODULEPATH: STAND_IN_MODULES, ...ENTRA });
    assert.equal(status, 1);
    assert.match(out, /^PASS {2}Node \d+\.\d+\.\d+ \(needs >= 22\.12\)$/m);
    assert.match(out, /^PASS {2}pwsh 7\.6\.\d+ at .+ \(needs >= 7\.6\)$/m);
    assert.match(out, /^FAIL {2}ExchangeOnlineManagement 3\.9\.2 is the test stand-in/m);
    assert.match(out, /Install-Module ExchangeOnlineManagement -Scope CurrentUser -MinimumVersion 3\.1\.0/);
    assert.match(out, /^PASS {2}Entra settings: client 11111111-2222-3333-4444-555555555555/m);
  });

  test('names a missing pwsh and every missing Entra setting', () => {
    const { status, out } = doctor({ NODE_POWERSHELL: '/nonexistent/pwsh' });
    assert.equal(status, 1);
    assert.match(out, /^FAIL {2}PowerShell did not start \(\/nonexistent\/pwsh\)/m);
    for (const name of ['RUNBOOK_ENTRA_CLIENT_ID', 'RUNBOOK_ENTRA_TENANT_IDS', 'RUNBOOK_API_AUDIENCE']) assert.match(out, new RegExp(name));
  });
});
