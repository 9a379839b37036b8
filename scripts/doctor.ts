/**
 * `npm run doctor`: checks this machine for the mode the companion would start in and says what to fix, one line per
 * check: PASS, FAIL (with what to do), or SKIP for what only the other mode needs. Exits 1 when a check failed.
 *
 *   npm run doctor                                     sandbox mode (or RUNBOOK_MODE): Node and the configuration;
 *                                                      pwsh and the module too for a rehearsal
 *                                                      (RUNBOOK_EXECUTOR=powershell)
 *   npm run doctor -- --tenant                         tenant mode: Node, pwsh >= 7.6, ExchangeOnlineManagement >= 3.1,
 *                                                      the Entra settings
 *   npm run doctor -- --tenant --exchange-token-file <file>
 *                                                      also an Exchange access token (never printed): its audience,
 *                                                      scopes, expiry and tenant, and whether Connect-ExchangeOnline
 *                                                      accepts it, exactly as the companion connects
 *
 * pwsh is asked through the companion's own helper module, so it sees the modules exactly as the executor will.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exchangeTokenProblems, readExchangeToken, type TokenProblem } from '../server/auth/exchange-token.ts';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { PwshProcess, type PwshInfo } from '../server/executors/powershell/pwsh-process.ts';

const INSTALL_EXO = "pwsh -Command 'Install-Module ExchangeOnlineManagement -Scope CurrentUser -MinimumVersion 3.1.0'";
const INSTALL_PWSH =
  'install PowerShell 7.6 (https://learn.microsoft.com/powershell/scripting/install/installing-powershell), then put pwsh on PATH or set NODE_POWERSHELL to its path';
// README sections the advice cites (test/pwsh/doctor.test.ts checks that each is a heading of the README).
const README_TENANT = 'see the README, "Use it with a real tenant"';
const README_PWSH = 'see the README, "Tenant mode: PowerShell prerequisites"';
const README_REHEARSAL = 'see the README, "Rehearsal: the PowerShell executor against the sandbox"';
const README_CONFIG = 'see the README, "Configuration"';
const nodeCheck = createRequire(import.meta.url)('./check-node.cjs') as {
  MINIMUM: string;
  check(input: { version: string; execPath: string; platform: string; arch: string }): { ok: boolean; message: string };
};
let failed = 0;

/** Prints one check's verdict; a failure also says what to do. */
function report(ok: boolean, what: string, fix?: string): void {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (!ok) {
    failed++;
    if (fix) console.log(`      -> ${fix}`);
  }
}

/** A check that only the other mode needs. */
function skip(what: string): void {
  console.log(`SKIP  ${what}`);
}

/** True when dotted version `have` is at least `need`. */
function atLeast(have: string, need: string): boolean {
  const a = have.split('.').map(Number);
  const b = need.split('.').map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!;
  return true;
}

/** The command line: the companion's own flags, plus `--exchange-token-file <file>`. */
function readArguments(argv: string[]): { companionArgs: string[]; tokenFile?: string } {
  const companionArgs: string[] = [];
  let tokenFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--exchange-token-file') {
      tokenFile = argv[++i];
      if (!tokenFile)
        throw new ConfigError([
          '--exchange-token-file: received nothing, expected the path of a file holding the token',
        ]);
    } else companionArgs.push(argv[i]!);
  }
  return tokenFile === undefined ? { companionArgs } : { companionArgs, tokenFile };
}

/**
 * The PowerShell settings (NODE_POWERSHELL, RUNBOOK_PSMODULEPATH) as the companion reads them; read in sandbox mode's
 * view when the tenant-mode settings are incomplete (already reported), and exits when they are bad themselves.
 */
function powerShellSettings(): Config['powershell'] {
  if (config) return config.powershell;
  try {
    return loadConfig({ ...process.env, RUNBOOK_MODE: 'sandbox' }, []).powershell;
  } catch {
    console.log(`\n${failed} check(s) failed: fix them and run npm run doctor again.`);
    process.exit(1);
  }
}

// The same verdict as npm install's preinstall check (scripts/check-node.cjs), so the two never disagree.
const node = nodeCheck.check({
  version: process.version,
  execPath: process.execPath,
  platform: process.platform,
  arch: process.arch,
});
report(node.ok, `Node ${process.versions.node} (needs >= ${nodeCheck.MINIMUM})`, node.message);

let config: Config | undefined;
let tokenFile: string | undefined;
const tenantRequested = process.argv.includes('--tenant') || process.env.RUNBOOK_MODE === 'tenant';
try {
  const args = readArguments(process.argv.slice(2));
  tokenFile = args.tokenFile;
  config = loadConfig(process.env, args.companionArgs);
  if (config.mode === 'tenant') {
    const entra = config.entra!;
    report(
      true,
      `Entra settings: client ${entra.clientId}, tenant(s) ${entra.tenantIds.join(', ')}, API audience ${entra.apiAudience}, ` +
        `authority ${entra.authorityHost}${process.env.RUNBOOK_ENTRA_AUTHORITY ? '' : ' (default)'}, scope ${entra.apiScope}${process.env.RUNBOOK_API_SCOPE ? '' : ' (default)'}`,
    );
  } else {
    report(
      true,
      `Configuration: sandbox mode, ${config.executor} executor, http://${config.host}:${config.port}/, data in ${config.dataDir}`,
    );
    skip(
      'Entra settings: not needed in sandbox mode (tenant mode needs RUNBOOK_ENTRA_CLIENT_ID, RUNBOOK_ENTRA_TENANT_ID and RUNBOOK_API_AUDIENCE)',
    );
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  const what = tenantRequested ? 'Settings for tenant mode are missing or wrong:' : 'Configuration is not valid:';
  report(
    false,
    what,
    `set these (${tenantRequested ? README_TENANT : README_CONFIG}):\n      ${error.problems.join('\n      ')}`,
  );
}

const tenant = config ? config.mode === 'tenant' : tenantRequested;
const needsPwsh = tenant || config?.executor === 'powershell';
let proc: PwshProcess | undefined;
if (!needsPwsh) {
  skip('pwsh: not needed in sandbox mode (tenant mode and rehearsals need PowerShell 7.6 or newer)');
  skip(
    'ExchangeOnlineManagement: not needed in sandbox mode (tenant mode needs 3.1 or newer, from the PowerShell Gallery)',
  );
} else {
  const { executable, modulePath } = powerShellSettings();
  let info: PwshInfo | undefined;
  try {
    proc = await PwshProcess.start({ executable, modulePath, startTimeoutMs: 60_000 });
    info = proc.info;
  } catch (error) {
    report(false, (error as Error).message, `${INSTALL_PWSH} (${README_PWSH})`);
  }
  if (info) {
    report(
      atLeast(info.pwsh, '7.6'),
      `pwsh ${info.pwsh} at ${executable} (needs >= 7.6)`,
      'install PowerShell 7.6 or newer; ExchangeOnlineManagement 3.10 needs it',
    );
    if (!info.exoVersion) report(false, 'ExchangeOnlineManagement not installed', `run: ${INSTALL_EXO}`);
    else if (!tenant) {
      report(
        info.exoStandIn,
        `ExchangeOnlineManagement ${info.exoVersion} at ${info.exoPath}${info.exoStandIn ? ': the stand-in, as a rehearsal needs' : ''}`,
        `a rehearsal runs the stand-in module: set RUNBOOK_PSMODULEPATH to test/fixtures/psmodules (${README_REHEARSAL})`,
      );
    } else if (info.exoStandIn) {
      report(
        false,
        `ExchangeOnlineManagement ${info.exoVersion} is the test stand-in (${info.exoPath}): fine for rehearsals, not for a real tenant`,
        `unset RUNBOOK_PSMODULEPATH and run: ${INSTALL_EXO}`,
      );
    } else {
      report(
        atLeast(info.exoVersion, '3.1'),
        `ExchangeOnlineManagement ${info.exoVersion} at ${info.exoPath} (needs >= 3.1 for -AccessToken)`,
        "run: pwsh -Command 'Update-Module ExchangeOnlineManagement'",
      );
    }
  }
}

if (tokenFile !== undefined && !tenant) skip('Exchange token: not needed in sandbox mode (the sandbox signs its own)');
else if (tokenFile !== undefined) await checkExchangeToken(tokenFile);
proc?.kill();

/** Checks an Exchange token from `file` as Exchange Online would see it, then connects with it; never prints it. */
async function checkExchangeToken(file: string): Promise<void> {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    report(
      false,
      `Exchange token: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
      'give the path of a file that holds only the access token',
    );
    return;
  }
  const claims = readExchangeToken(token);
  const problems = exchangeTokenProblems(claims, Date.now(), config?.entra ? { tenants: config.entra.tenantIds } : {});
  const problem = (check: TokenProblem['check']) => problems.find((p) => p.check === check)?.problem;
  if (!claims) {
    report(false, 'Exchange token: not a JWT access token', problem('token'));
    return;
  }
  report(
    !problem('audience'),
    `Exchange token audience: ${claims.audiences.join(', ') || 'none'}`,
    problem('audience'),
  );
  report(!problem('scope'), `Exchange token scopes: ${claims.scopes.join(' ') || 'none'}`, problem('scope'));
  report(
    !problem('expiry'),
    `Exchange token expiry: ${claims.exp === undefined ? 'none' : new Date(claims.exp * 1000).toISOString()}`,
    problem('expiry'),
  );
  if (config?.entra) report(!problem('tenant'), `Exchange token tenant: ${claims.tid ?? 'none'}`, problem('tenant'));
  if (!proc?.alive || !claims.upn) return;
  const result = await proc
    .call({ op: 'connect', params: { AccessToken: token, UserPrincipalName: claims.upn } }, 60_000)
    .catch((error: Error) => ({ ok: false as const, error: { message: error.message, type: error.name } }));
  await proc.clearHistory(10_000).catch(() => undefined);
  const answer = result.ok ? '' : result.error.message.replaceAll(token, '[token]');
  report(
    result.ok,
    result.ok
      ? `Connect-ExchangeOnline accepted the token for ${claims.upn}`
      : `Connect-ExchangeOnline refused the token for ${claims.upn}: ${answer}`,
    problems.length > 0
      ? problems.map((p) => p.problem).join(' ')
      : 'Exchange does not say why: check that your account has an Exchange role that allows the cmdlets (Organization Management)',
  );
}

const ready = tenant ? 'Ready for tenant mode: npm start -- --tenant' : 'Ready for sandbox mode: npm start';
console.log(failed === 0 ? `\n${ready}` : `\n${failed} check(s) failed: fix them and run npm run doctor again.`);
process.exitCode = failed === 0 ? 0 : 1;
