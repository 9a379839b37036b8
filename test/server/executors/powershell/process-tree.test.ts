/**
 * The process table per platform (the command and its parsing for Windows and macOS, /proc here), the tree walk, and
 * killing and measuring a real process tree on this machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import {
  descendants,
  killProcessTree,
  parseProcessTable,
  processTableCommand,
  processTree,
  processTreeRssBytes,
} from '../../../../server/executors/powershell/process-tree.ts';
import { running } from '../../../support/process.ts';

describe('the process table on Windows and macOS', () => {
  test('Windows: Windows PowerShell from System32 by full path, a constant CIM query, working set in bytes', () => {
    const { command, args, bytesPerUnit } = processTableCommand('win32', { SystemRoot: 'C:\\WINDOWS' });
    assert.equal(command, 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    assert.deepEqual(args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-Command']);
    const query =
      "Get-CimInstance Win32_Process | ForEach-Object { '{0} {1} {2}' -f $_.ProcessId, $_.ParentProcessId, ";
    assert.equal(args[3], `${query}$_.WorkingSetSize }`);
    assert.equal(bytesPerUnit, 1);
    // What it prints: CRLF lines, the idle process as its own parent, and a stray line.
    const rows = parseProcessTable(
      '0 0 8192\r\n4 0 1441792\r\n6120 5000 104857600\r\n6200 6120 52428800\r\n\r\nWARNING: x\r\n',
      bytesPerUnit,
    );
    assert.deepEqual(
      rows.map((r) => [r.pid, r.ppid, r.rssBytes]),
      [
        [0, 0, 8192],
        [4, 0, 1441792],
        [6120, 5000, 104857600],
        [6200, 6120, 52428800],
      ],
    );
    assert.deepEqual(
      descendants(6120, rows).map((r) => r.pid),
      [6120, 6200],
    );
    assert.deepEqual(
      descendants(0, rows).map((r) => r.pid),
      [0, 4],
      'a process listed as its own parent is walked once',
    );
  });

  test('macOS: ps, resident memory in KiB', () => {
    const { command, args, bytesPerUnit } = processTableCommand('darwin');
    assert.deepEqual([command, args, bytesPerUnit], ['ps', ['-A', '-o', 'pid=,ppid=,rss='], 1024]);
    const rows = parseProcessTable(
      '    1     0  12000\n  501     1   2048\n  777   501 150000\n  778   777  10000\n  900     1    100\n',
      bytesPerUnit,
    );
    const tree = descendants(501, rows);
    assert.deepEqual(
      tree.map((r) => r.pid),
      [501, 777, 778],
    );
    assert.equal(
      tree.reduce((sum, r) => sum + r.rssBytes!, 0),
      (2048 + 150000 + 10000) * 1024,
    );
  });
});

describe('a real process tree on this machine', () => {
  test('is found, measured and killed with its grandchild', async () => {
    // A Node child that starts a grandchild and reports its pid, like the .NET tool shim starting pwsh.dll.
    const script =
      "const c = require('node:child_process')" +
      ".spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });" +
      ' console.log(c.pid); setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = await once(child.stdout, 'data');
    const grandchild = Number(String(line).trim());
    try {
      assert.ok(processTree(process.pid).includes(child.pid!), "the child is in this process's tree");
      assert.deepEqual(processTree(child.pid!), [child.pid, grandchild]);
      assert.ok(processTreeRssBytes(child.pid!) > 2 * 10 * 1024 ** 2, 'two Node processes hold more than 10 MiB each');
      const exited = once(child, 'exit');
      killProcessTree(child.pid!);
      await exited;
      for (let i = 0; i < 50 && running(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(running(grandchild), false, 'the grandchild died with it');
    } finally {
      if (running(grandchild)) process.kill(grandchild, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });

  test('refuses pids that would signal a whole group or every process', () => {
    for (const pid of [0, 1, -1, 1.5, NaN]) assert.throws(() => killProcessTree(pid), RangeError);
  });
});
