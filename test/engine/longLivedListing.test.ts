// The listing process kept for a run (longLivedListing.ts), on real processes: POSIX `sh`
// and Python stand-ins speak its framing here. PowerShell, Windows's listing process,
// cannot run here: a Python stand-in prints what its script prints (a byte order mark,
// one line of Win32_Process JSON, CRLF line ends), from /proc.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { ListingProcessSource } from '../../src/extension/engine/sampling/listing/listingProcessSource';
import { LongLivedListing, type ListingCommand } from '../../src/extension/engine/sampling/listing/longLivedListing';
import { longLivedListingCommand, parseCimListing, parsePsListing } from '../../src/extension/engine/sampling/listing/processListing';
import { isProcessAlive } from '../../src/extension/engine/run/processTree';
import { findDescendants } from '../helpers/descendants';

const sh = (script: string): ListingCommand => ({ command: 'sh', args: ['-c', script] });

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await delay(20);
  }
}

describe('the listing process kept for a run (real processes)', function () {
  const opened: LongLivedListing[] = [];
  const open = (command: ListingCommand, timeoutMs?: number): LongLivedListing => {
    const listing = new LongLivedListing(command, timeoutMs);
    opened.push(listing);
    return listing;
  };
  afterEach(() => opened.splice(0).forEach((listing) => listing.close()));

  it('answers each request with a whole listing, from the same process', async function () {
    if (process.platform === 'win32') this.skip(); // there it is PowerShell
    const listing = open(longLivedListingCommand());
    const first = parsePsListing(await listing.next());
    const pid = listing.pid;
    const second = parsePsListing(await listing.next());
    assert.equal(listing.pid, pid, 'not started again');
    for (const listed of [first, second]) {
      const ours = listed.find((p) => p.pid === process.pid);
      assert.ok(ours, `this process is listed (${listed.length} processes)`);
      assert.equal(ours.ppid, process.ppid);
      assert.ok(listed.some((p) => p.pid === pid && p.ppid === process.pid), 'and the listing process, as its child');
    }
  });

  it('starts the listing process again at the next request when it was killed', async function () {
    const listing = open(longLivedListingCommand());
    await listing.next();
    const first = listing.pid!;
    process.kill(first, 'SIGKILL');
    await waitUntil(() => !isProcessAlive(first), 'the listing process is gone');
    assert.ok(parsePsListing(await listing.next()).length > 0, 'a listing');
    assert.ok(listing.pid !== null && listing.pid !== first, 'from a new listing process');
  });

  it('answers from a new listing process when the one asked has died, and reports one that dies at once', async function () {
    const listing = open(sh('read -r _; echo one; echo "--- end of listing 0 ---"; read -r _; exit 3'));
    assert.equal(await listing.next(), 'one');
    const first = listing.pid;
    assert.equal(await listing.next(), 'one', 'the next request, though the process asked exited');
    assert.ok(listing.pid !== first, 'from a new process');
    const dying = open(sh('read -r _; exit 3'));
    await assert.rejects(dying.next(), /exited \(code 3\)/);
  });

  it('fails a request the listing command failed', async function () {
    const listing = open(sh('while read -r _; do echo partial; echo "--- end of listing 1 ---"; done'));
    await assert.rejects(listing.next(), /failed \(status 1\)/);
  });

  it('reports a listing command that cannot run', async function () {
    const listing = open({ command: 'no-such-listing-command', args: [] });
    await assert.rejects(listing.next(), /could not run/);
  });

  it('ends a listing process that does not answer in time, with what it started', async function () {
    const listing = open(sh('read -r _; sleep 30'), 500);
    const request = listing.next();
    const tree = await treeOfRunning(listing, 1);
    await assert.rejects(request, /did not answer within 500 ms/);
    await waitUntil(() => tree.every((pid) => !isProcessAlive(pid)), `no process left of ${tree.join(', ')}`);
  });

  it('leaves no process behind at close(), even in the middle of a listing', async function () {
    const listing = open(sh('while read -r _; do sleep 30; echo "--- end of listing 0 ---"; done'));
    const request = listing.next();
    const tree = await treeOfRunning(listing, 1);
    listing.close();
    await assert.rejects(request, /closed/);
    await waitUntil(() => tree.every((pid) => !isProcessAlive(pid)), `no process left of ${tree.join(', ')}`);
    await assert.rejects(listing.next(), /closed/, 'and it is not started again');
    assert.equal(listing.pid, null);
  });

  it('keeps no host alive, and its process ends with a host that never closed it', async function () {
    if (process.platform === 'win32') this.skip();
    const modulePath = require.resolve('../../src/extension/engine/sampling/listing/longLivedListing');
    const host = spawn(process.execPath, ['-e', `
const { LongLivedListing } = require(${JSON.stringify(modulePath)});
const listing = new LongLivedListing({ command: 'sh', args: ['-c', 'while read -r _; do echo x; echo "--- end of listing 0 ---"; done'] });
const waiting = setInterval(() => undefined, 1000); // the host's own work, until the answer
listing.next().then(() => {
  console.log(listing.pid);
  clearInterval(waiting);
});
`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    host.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = new Promise<boolean>((resolve) => host.once('exit', () => resolve(true)));
    const exitedAlone = await Promise.race([exited, delay(5000).then(() => false)]);
    if (!exitedAlone) host.kill('SIGKILL');
    assert.ok(exitedAlone, 'the host exited by itself once its work was done');
    const listingPid = Number(printed.trim());
    assert.ok(listingPid > 0, `the listing process answered (${printed})`);
    await waitUntil(() => !isProcessAlive(listingPid), `listing process ${listingPid} ended`);
  });

  it('reads a frame that arrives in pieces, with a byte order mark and CRLF line ends (as from PowerShell)', async function () {
    const listing = open({
      command: 'python3',
      args: ['-c', `
import sys, time
out = sys.stdout.buffer
out.write(b"\\xef\\xbb")  # the mark's bytes split across writes
out.flush()
sys.stdin.readline()
for piece in [b"\\xbf[{\\"ProcessId\\":7,\\"ParentProcessId\\":1,", b"\\"CommandLine\\":\\"Zo\\xc3", b"\\xab\\",\\"Created\\":1}]\\r\\n--- end of", b" listing 0 ---\\r\\n"]:
    out.write(piece)
    out.flush()
    time.sleep(0.05)
sys.stdin.readline()
`],
    });
    const [listed] = parseCimListing(await listing.next());
    assert.deepEqual({ pid: listed.pid, ppid: listed.ppid, command: listed.command }, { pid: 7, ppid: 1, command: 'Zoë' });
  });
});

/** A Windows-shaped listing process: Win32_Process fields as CIM_LOOP prints them, read from /proc. */
const WINDOWS_STAND_IN = `
import json, os, sys
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
BOOT = next(int(line.split()[1]) for line in open("/proc/stat") if line.startswith("btime"))
FILETIME_1970 = 116444736000000000
out = sys.stdout.buffer
out.write(b"\\xef\\xbb\\xbf")
for _ in sys.stdin:
    listed = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = open(f"/proc/{name}/stat", "rb").read()
            command = open(f"/proc/{name}/cmdline", "rb").read().replace(b"\\0", b" ").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        if fields[0] == b"Z":
            continue  # Windows lists no zombies
        listed.append({
            "ProcessId": int(name), "ParentProcessId": int(fields[1]),
            "CommandLine": command.decode(errors="replace") or None,
            "KernelModeTime": int(fields[12]) * 10_000_000 // TICKS,
            "UserModeTime": int(fields[11]) * 10_000_000 // TICKS,
            "WorkingSetSize": int(fields[21]) * PAGE,
            "Created": FILETIME_1970 + (BOOT * TICKS + int(fields[19])) * 10_000_000 // TICKS,
        })
    out.write(json.dumps(listed, separators=(",", ":")).encode() + b"\\r\\n--- end of listing 0 ---\\r\\n")
    out.flush()
`;

describe('the Windows listing path, CPU and memory from the listing (a stand-in for PowerShell, real processes)', function () {
  it('shows a busy child near one core and its memory, with no pidusage', async function () {
    if (process.platform !== 'linux') this.skip(); // the stand-in reads /proc
    const busy = spawn('python3', ['-c', 'import time\nend = time.monotonic() + 2.5\nwhile time.monotonic() < end: pass'], { stdio: 'ignore' });
    const source = new ListingProcessSource({
      command: { command: 'python3', args: ['-c', WINDOWS_STAND_IN] },
      parse: parseCimListing,
      carriesUsage: true,
    });
    const cpus: number[] = [];
    let rssBytes = 0;
    try {
      for (let tick = 0; tick < 15; tick++) {
        const [child] = (await source.read({ rootPid: busy.pid!, extraPids: [] })).filter((p) => p.pid === busy.pid);
        assert.ok(child, `the child is listed at tick ${tick}`);
        cpus.push(child.cpu);
        rssBytes = child.rssBytes;
        await delay(100);
      }
    } finally {
      source.close();
      busy.kill('SIGKILL');
    }
    assert.equal(cpus[0], 0, 'no figure on the first reading');
    const sorted = cpus.slice(1).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    assert.ok(median >= 80, `median ${median.toFixed(1)} % (${cpus.map(Math.round).join(' ')})`);
    assert.ok(Math.max(...cpus) <= 115, `the highest: ${Math.max(...cpus).toFixed(1)} % (${cpus.map(Math.round).join(' ')})`);
    assert.ok(rssBytes > 1_000_000, `working set ${rssBytes} bytes`);
  });
});

/** The listing process's pid and those of `descendants` processes it started, once they run. */
async function treeOfRunning(listing: LongLivedListing, descendants: number): Promise<number[]> {
  await waitUntil(() => listing.pid !== null, 'the listing process runs');
  const pid = listing.pid!;
  const deadline = Date.now() + 3000;
  for (;;) {
    const tree = (await findDescendants(pid)).map((p) => p.pid);
    if (tree.length >= descendants) return [pid, ...tree];
    assert.ok(Date.now() < deadline, `${descendants} processes under the listing process`);
    await delay(20);
  }
}
