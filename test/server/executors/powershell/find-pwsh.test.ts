/**
 * pwsh discovery on Windows, macOS and Linux (each handed in as the platform, with its environment and files), and
 * on this machine for real.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  findPwsh,
  thisPwshSearchHost,
  type PwshSearchHost,
} from '../../../../server/executors/powershell/find-pwsh.ts';

/** A host of `platform` with `env` whose only files are `files`. */
function host(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[] = []): PwshSearchHost {
  return { platform, env, isFile: (file) => files.includes(file) };
}

const WINDOWS_ENV = {
  Path: 'C:\\Windows\\system32;C:\\Windows;;C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps',
  ProgramFiles: 'C:\\Program Files',
  USERPROFILE: 'C:\\Users\\ada',
};

describe('findPwsh on Windows', () => {
  test('pwsh.exe on PATH (spelled Path, entries may be quoted)', () => {
    const env = { ...WINDOWS_ENV, Path: `C:\\Windows;"C:\\Program Files\\PowerShell\\7"` };
    assert.deepEqual(findPwsh(host('win32', env, ['C:\\Program Files\\PowerShell\\7\\pwsh.exe'])), {
      found: true,
      executable: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      source: 'PATH',
    });
  });

  test('the MSI / winget folder when PATH lacks it (a terminal opened before the install)', () => {
    const found = findPwsh(
      host('win32', { ...WINDOWS_ENV, ProgramFiles: 'D:\\Apps' }, ['D:\\Apps\\PowerShell\\7\\pwsh.exe']),
    );
    assert.deepEqual(found, { found: true, executable: 'D:\\Apps\\PowerShell\\7\\pwsh.exe', source: 'install folder' });
  });

  test('the .NET global tool folder', () => {
    const found = findPwsh(host('win32', WINDOWS_ENV, ['C:\\Users\\ada\\.dotnet\\tools\\pwsh.exe']));
    assert.deepEqual(found, {
      found: true,
      executable: 'C:\\Users\\ada\\.dotnet\\tools\\pwsh.exe',
      source: 'install folder',
    });
  });

  test('never Windows PowerShell 5.1, and a miss lists every place looked', () => {
    const found = findPwsh(
      host('win32', WINDOWS_ENV, ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']),
    );
    assert.deepEqual(found, {
      found: false,
      executable: 'pwsh.exe',
      searched: [
        'C:\\Windows\\system32\\pwsh.exe',
        'C:\\Windows\\pwsh.exe',
        'C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps\\pwsh.exe',
        'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
        'C:\\Users\\ada\\.dotnet\\tools\\pwsh.exe',
      ],
    });
  });
});

describe('findPwsh on macOS', () => {
  // An app started from the Dock or launchd gets this PATH, without Homebrew's folder.
  const env = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/Users/ada' };
  for (const file of [
    '/opt/homebrew/bin/pwsh',
    '/usr/local/bin/pwsh',
    '/usr/local/microsoft/powershell/7/pwsh',
    '/Users/ada/.dotnet/tools/pwsh',
  ]) {
    test(`finds ${file}`, () => {
      assert.deepEqual(findPwsh(host('darwin', env, [file])), {
        found: true,
        executable: file,
        source: 'install folder',
      });
    });
  }

  test('Apple silicon Homebrew before Intel Homebrew', () => {
    assert.equal(
      findPwsh(host('darwin', env, ['/usr/local/bin/pwsh', '/opt/homebrew/bin/pwsh'])).executable,
      '/opt/homebrew/bin/pwsh',
    );
  });
});

describe('findPwsh on Linux', () => {
  test("PATH first, then the packages' and the .NET tool's folders", () => {
    assert.deepEqual(
      findPwsh(host('linux', { PATH: '/home/ada/bin:/usr/bin' }, ['/usr/bin/pwsh', '/home/ada/bin/pwsh'])),
      { found: true, executable: '/home/ada/bin/pwsh', source: 'PATH' },
    );
    assert.equal(
      findPwsh(host('linux', { PATH: '/usr/bin', HOME: '/home/ada' }, ['/home/ada/.dotnet/tools/pwsh'])).executable,
      '/home/ada/.dotnet/tools/pwsh',
    );
    assert.equal(
      findPwsh(host('linux', { PATH: '/usr/bin' }, ['/opt/microsoft/powershell/7/pwsh'])).executable,
      '/opt/microsoft/powershell/7/pwsh',
    );
  });
});

test('NODE_POWERSHELL wins on every platform, used as given even where nothing is', () => {
  for (const platform of ['win32', 'darwin', 'linux'] as const) {
    const found = findPwsh(
      host(platform, { ...WINDOWS_ENV, PATH: '/usr/bin', NODE_POWERSHELL: 'E:\\pwsh\\pwsh.exe' }, [
        '/usr/bin/pwsh',
        'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      ]),
    );
    assert.deepEqual(found, { found: true, executable: 'E:\\pwsh\\pwsh.exe', source: 'NODE_POWERSHELL' });
  }
});

test(
  'on this machine: finds a real pwsh through PATH',
  { skip: !process.env.NODE_POWERSHELL && 'NODE_POWERSHELL not set' },
  () => {
    const real = process.env.NODE_POWERSHELL!;
    const env = {
      ...process.env,
      NODE_POWERSHELL: undefined,
      PATH: `${path.join(path.dirname(real), 'no-such-folder')}${path.delimiter}${path.dirname(real)}`,
    };
    const expected = path.join(path.dirname(real), process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    assert.deepEqual(findPwsh({ ...thisPwshSearchHost(), env }), { found: true, executable: expected, source: 'PATH' });
  },
);
