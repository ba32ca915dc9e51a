// The process listings of macOS (ps) and Windows (PowerShell's CIM as JSON), parsed from
// the text those commands print.

import { strict as assert } from 'node:assert';
import { parseCimListing } from '../../src/extension/engine/processListing';

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
