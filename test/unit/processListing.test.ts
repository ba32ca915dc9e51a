// The process listings of macOS (ps) and Windows (PowerShell's CIM as JSON), parsed from
// the text those commands print.

import { strict as assert } from 'node:assert';
import { parseCimListing, parsePsListing } from '../../src/extension/engine/sampling/listing/processListing';

/** What CIM_SCRIPT prints on Windows (ConvertTo-Json -Compress), two processes. */
const CIM_JSON =
  '[{"ProcessId":4242,"ParentProcessId":900,"CommandLine":"C:\\\\Users\\\\Zoë\\\\python.exe sample.py","Created":133000000000000000},' +
  '{"ProcessId":4243,"ParentProcessId":4242,"CommandLine":null,"Created":133000000010000000}]';

describe('the Windows process listing', function () {
  it('reads a listing that begins with a byte order mark', function () {
    const listed = parseCimListing(`\uFEFF${CIM_JSON}\r\n`);
    assert.deepEqual(
      listed.map(({ pid, ppid, command }) => ({ pid, ppid, command })),
      [
        { pid: 4242, ppid: 900, command: 'C:\\Users\\Zoë\\python.exe sample.py' },
        { pid: 4243, ppid: 4242, command: '' },
      ],
    );
    assert.equal(listed[1].startedMs - listed[0].startedMs, 1000, 'FILETIME in 100 ns units to ms');
  });
});

describe('the ps listing', function () {
  it('reads pid, parent, start and command, and leaves out zombies', function () {
    const listed = parsePsListing(
      [
        '    1     0 Ss   Mon Jan  1 09:00:00 2024 /sbin/launchd',
        '  420     1 R+   Mon Jan  1 12:00:05 2024 python3 -c print("a  b")',
        '  421   420 Z+   Mon Jan  1 12:00:06 2024 (python3)',
        '  422   420 S    Mon Jan  1 12:00:07 2024 ',
      ].join('\n'),
    );
    assert.deepEqual(
      listed.map(({ pid, ppid, key, command }) => ({ pid, ppid, key, command })),
      [
        { pid: 1, ppid: 0, key: '1@Mon Jan 1 09:00:00 2024', command: '/sbin/launchd' },
        { pid: 420, ppid: 1, key: '420@Mon Jan 1 12:00:05 2024', command: 'python3 -c print("a  b")' },
        { pid: 422, ppid: 420, key: '422@Mon Jan 1 12:00:07 2024', command: '' },
      ],
    );
  });
});
