/**
 * `npm run doctor`: checks this machine for tenant mode and says what to fix. One PASS/FAIL line per check:
 * Node version, pwsh found and >= 7.6, ExchangeOnlineManagement installed and >= 3.1, Entra settings present.
 * pwsh is asked through the companion's own helper module, so it sees the modules exactly as the executor will.
 */
import { ConfigError, loadConfig } from '../server/config.ts';
import { PwshProcess, type PwshInfo } from '../server/executors/powershell/pwsh-process.ts';

const INSTALL_EXO = "pwsh -Command 'Install-Module ExchangeOnlineManagement -Scope CurrentUser -MinimumVersion 3.1.0'";
let failed = 0;

/** Prints one check's verdict; a failure also says what to do. */
function report(ok: boolean, what: string, fix?: string): void {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (!ok) {
    failed++;
    if (fix) console.log(`      -> ${fix}`);
  }
}

/** True when dotted version `have` is at least `need`. */
function atLeast(have: string, need: string): boolean {
  const a = have.split('.').map(Number);
  const b = need.split('.').map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!;
  return true;
}

report(atLeast(process.versions.node, '22.12.0'), `Node ${process.versions.node} (needs >= 22.12)`, 'run through npm (npm run doctor, npm start): the project pins Node 24 in node_modules/.bin');

/** The PowerShell settings (NODE_POWERSHELL, RUNBOOK_PSMODULEPATH, ...) as the companion reads them; exits on bad ones. */
function powerShellSettings() {
  try {
    return loadConfig({ ...process.env, RUNBOOK_MODE: 'sandbox' }, []).powershell; // the Entra settings are checked below
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(false, 'The configuration has bad values:', `fix these (see the README, "Configuration"):\n      ${error.problems.join('\n      ')}`);
    process.exit(1);
  }
}

const { executable, modulePath } = powerShellSettings();
let info: PwshInfo | undefined;
try {
  const proc = await PwshProcess.start({ executable, modulePath, startTimeoutMs: 60_000 });
  info = proc.info;
  proc.kill();
} catch (error) {
  report(false, (error as Error).message,
    'install PowerShell 7.6 (https://learn.microsoft.com/powershell/scripting/install/installing-powershell), then put pwsh on PATH or set NODE_POWERSHELL to its path');
}

if (info) {
  report(atLeast(info.pwsh, '7.6'), `pwsh ${info.pwsh} at ${executable} (needs >= 7.6)`, 'install PowerShell 7.6 or newer; ExchangeOnlineManagement 3.10 needs it');
  if (!info.exoVersion) report(false, 'ExchangeOnlineManagement not installed', `run: ${INSTALL_EXO}`);
  else if (info.exoStandIn) report(false, `ExchangeOnlineManagement ${info.exoVersion} is the test stand-in (${info.exoPath}): fine for rehearsals, not for a real tenant`, `unset RUNBOOK_PSMODULEPATH and run: ${INSTALL_EXO}`);
  else report(atLeast(info.exoVersion, '3.1'), `ExchangeOnlineManagement ${info.exoVersion} at ${info.exoPath} (needs >= 3.1 for -AccessToken)`, "run: pwsh -Command 'Update-Module ExchangeOnlineManagement'");
}

try {
  const config = loadConfig(process.env, ['--tenant']);
  report(true, `Entra settings: client ${config.entra!.clientId}, tenant(s) ${config.entra!.tenantIds.join(', ')}, API audience ${config.entra!.apiAudience}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  report(false, 'Entra settings incomplete for tenant mode:', `set these (see the README, "Use it on your tenant"):\n      ${error.problems.join('\n      ')}`);
}

console.log(failed === 0 ? '\nReady for tenant mode: npm start -- --tenant' : `\n${failed} check(s) failed: fix them and run npm run doctor again.`);
process.exitCode = failed === 0 ? 0 : 1;
