/**
 * Where pwsh (PowerShell 7) is on this machine: NODE_POWERSHELL when set (used as given), else `pwsh` on PATH, else
 * the folders the usual installers use, which a terminal opened before the install, a service or a macOS app often
 * lacks on its PATH: the MSI and winget (Program Files), Homebrew (/opt/homebrew on Apple silicon, /usr/local on
 * Intel), Microsoft's packages (/opt/microsoft, /usr/local/microsoft), Snap, and `dotnet tool install --global`
 * (~/.dotnet/tools on every platform).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the search depends on, injectable so tests can stand in for another platform. */
export interface PwshSearchHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** True when `file` exists and is a file. */
  isFile(file: string): boolean;
}

/** Where pwsh was found, or where it was looked for. */
export type PwshLocation =
  | { found: true; executable: string; source: 'NODE_POWERSHELL' | 'PATH' | 'install folder' }
  | { found: false; executable: string; searched: string[] };

/** This machine. */
export function thisPwshSearchHost(): PwshSearchHost {
  return {
    platform: process.platform,
    env: process.env,
    isFile: (file) => {
      try {
        return statSync(file).isFile();
      } catch {
        // A Microsoft Store install puts an app execution alias on PATH, which stat cannot follow but Windows runs.
        return process.platform === 'win32' && existsSync(file);
      }
    },
  };
}

/** An environment variable by name, case-insensitively on Windows (where it may be spelled `Path`). */
function envVar(host: PwshSearchHost, name: string): string | undefined {
  if (host.platform !== 'win32') return host.env[name] || undefined;
  const key = Object.keys(host.env).find((k) => k.toUpperCase() === name.toUpperCase());
  return (key && host.env[key]) || undefined;
}

/** The install folders to try, in order, for the host's platform. */
function installFolders(host: PwshSearchHost): string[] {
  if (host.platform === 'win32') {
    const join = path.win32.join.bind(path.win32);
    const programFiles = envVar(host, 'ProgramFiles') ?? 'C:\\Program Files';
    const profile = envVar(host, 'USERPROFILE');
    return [
      join(programFiles, 'PowerShell', '7', 'pwsh.exe'),
      ...(profile ? [join(profile, '.dotnet', 'tools', 'pwsh.exe')] : []),
    ];
  }
  const home = envVar(host, 'HOME');
  const dotnetTool = home ? [path.posix.join(home, '.dotnet', 'tools', 'pwsh')] : [];
  if (host.platform === 'darwin') {
    return ['/opt/homebrew/bin/pwsh', '/usr/local/bin/pwsh', '/usr/local/microsoft/powershell/7/pwsh', ...dotnetTool];
  }
  return ['/usr/bin/pwsh', '/opt/microsoft/powershell/7/pwsh', '/snap/bin/pwsh', '/usr/local/bin/pwsh', ...dotnetTool];
}

/** Finds pwsh on `host` (this machine by default). */
export function findPwsh(host: PwshSearchHost = thisPwshSearchHost()): PwshLocation {
  const configured = envVar(host, 'NODE_POWERSHELL');
  if (configured) return { found: true, executable: configured, source: 'NODE_POWERSHELL' };
  const windows = host.platform === 'win32';
  const p = windows ? path.win32 : path.posix;
  const name = windows ? 'pwsh.exe' : 'pwsh';
  const searched: string[] = [];
  for (const dir of (envVar(host, 'PATH') ?? '').split(p.delimiter)) {
    // An empty entry, or a quoted one (allowed on Windows), is not a folder name as it stands.
    const folder = dir.replace(/^"(.*)"$/, '$1');
    if (!folder) continue;
    const candidate = p.join(folder, name);
    searched.push(candidate);
    if (host.isFile(candidate)) return { found: true, executable: candidate, source: 'PATH' };
  }
  for (const candidate of installFolders(host)) {
    searched.push(candidate);
    if (host.isFile(candidate)) return { found: true, executable: candidate, source: 'install folder' };
  }
  // Not found: the bare name still lets the start fail with the operating system's own error.
  return { found: false, executable: name, searched };
}
