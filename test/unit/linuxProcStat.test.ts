// The /proc parsers and the per-core arithmetic, on fixed text.

import { strict as assert } from 'node:assert';
import { coreBusyPercent } from '../../src/extension/engine/sampling/coreUsage';
import {
  emptyProcPidStat,
  isExitedState,
  parseComm,
  parseLastPid,
  parsePidList,
  parseProcPidStat,
  parseProcPidStatInto,
  parseProcStatCpuTimes,
  parseSchedstatInto,
  processKey,
  type SchedTimes,
} from '../../src/extension/engine/sampling/linux/linuxProcStat';

/** The bytes a read of /proc/PID/stat leaves in the buffer. */
function line(text: string): Buffer {
  return Buffer.from(text);
}

/** A real line (bash), fields 3..52 after the comm. */
const TAIL =
  'S 2496 2517 2517 0 -1 4194560 1511 32014 0 14 0 0 17 4 20 0 1 0 27222 5124096 913 18446744073709551615 ' +
  '93881593810944 93881594600349 140720610688096 0 0 0 65536 4 1132560123 1 0 0 17 1 0 0 0 0 0 ' +
  '93881594833648 93881594881892 93881953198080 140720610691964 140720610691979 140720610691979 140720610693098 0\n';

describe('parseProcPidStat', function () {
  it('reads state, ppid, CPU time, threads, start time, memory, last CPU and argument address', function () {
    const stat = parseProcPidStat(line(`2517 (bash) ${TAIL}`));
    assert.deepEqual(stat, {
      pid: 2517,
      state: 'S',
      ppid: 2496,
      cpuTicks: 0,
      numThreads: 1,
      startTime: 27222,
      rssPages: 913,
      processor: 1,
      argsStart: 140720610691964,
      argsEnd: 140720610691979,
    });
  });

  it('reads only the first `length` bytes of a reused buffer', function () {
    const buffer = Buffer.alloc(4096, 'x');
    const written = buffer.write(`2517 (bash) ${TAIL}`);
    buffer.write(') 9 9 9', written); // what a longer earlier line left behind
    assert.equal(parseProcPidStat(buffer, written)?.argsEnd, 140720610691979);
  });

  it('adds user and kernel CPU time', function () {
    const fields = TAIL.split(' ');
    fields[11] = '250'; // field 14, utime
    fields[12] = '30'; // field 15, stime
    assert.equal(parseProcPidStat(line(`9 (busy) ${fields.join(' ')}`))?.cpuTicks, 280);
  });

  it('splits after the last ")" when the comm holds spaces and parentheses', function () {
    const bytes = line(`42 (a) b (c) R) ${TAIL}`);
    const stat = parseProcPidStat(bytes);
    assert.equal(parseComm(bytes), 'a) b (c) R');
    assert.equal(stat?.state, 'S');
    assert.equal(stat?.ppid, 2496);
    assert.equal(stat?.processor, 1);
  });

  it('leaves the argument address null on kernels that stop at field 39', function () {
    const short = TAIL.split(' ').slice(0, 37).join(' ');
    const stat = parseProcPidStat(line(`7 (x) ${short}`));
    assert.equal(stat?.processor, 1);
    assert.equal(stat?.argsStart, null);
    assert.equal(stat?.argsEnd, null);
  });

  it('rewrites a reused record in place, the argument address included', function () {
    const stat = emptyProcPidStat();
    const first = line(`2517 (bash) ${TAIL}`);
    assert.ok(parseProcPidStatInto(stat, first, first.length));
    const busier = TAIL.split(' ');
    busier[11] = '7'; // field 14, utime
    busier[21] = '950'; // field 24, rss
    const short = busier.slice(0, 37).join(' '); // a kernel that stops at field 39
    const bytes = line(`2517 (bash) ${short}`);
    assert.ok(parseProcPidStatInto(stat, bytes, bytes.length));
    assert.deepEqual([stat.cpuTicks, stat.rssPages, stat.argsStart, stat.argsEnd], [7, 950, null, null]);
  });

  it('reads past negative fields it does not need (tpgid -1, nice -5), not a negative one it needs', function () {
    const fields = TAIL.split(' ');
    fields[15] = '-5'; // field 18, priority
    fields[16] = '-5'; // field 19, nice
    assert.equal(parseProcPidStat(line(`9 (x) ${fields.join(' ')}`))?.startTime, 27222);
    fields[21] = '-1'; // field 24, rss
    assert.equal(parseProcPidStat(line(`9 (x) ${fields.join(' ')}`)), null);
  });

  it('reads a line cut before the argument address, with no newline at its end', function () {
    const cut = `2517 (bash) ${TAIL}`.slice(0, `2517 (bash) ${TAIL}`.indexOf(' 93881594833648'));
    const stat = parseProcPidStat(line(cut));
    assert.equal(stat?.processor, 1);
    assert.equal(stat?.argsStart, null);
  });

  it('rejects truncated or foreign text', function () {
    assert.equal(parseProcPidStat(line('')), null);
    assert.equal(parseProcPidStat(line('2517 (bash) S 2496 2517')), null);
    assert.equal(parseProcPidStat(line(`pid (bash) ${TAIL}`)), null);
  });

  it('treats Z and X as exited', function () {
    assert.ok(isExitedState('Z'));
    assert.ok(isExitedState('X'));
    assert.ok(!isExitedState('S'));
    assert.ok(!isExitedState('R'));
  });
});

describe('parseProcStatCpuTimes', function () {
  const PROC_STAT = [
    'cpu  300 0 100 1000 50 0 10 0 0 0',
    'cpu0 100 0 50 500 20 0 5 0 40 0',
    'cpu2 200 10 50 500 30 0 5 5 0 0',
    'intr 12345 0 1 2',
    'ctxt 999',
    '',
  ].join('\n');

  it('reads each cpuN line by number, skipping the total and leaving holes for offline CPUs', function () {
    const cpus = parseProcStatCpuTimes(Buffer.from(PROC_STAT));
    assert.equal(cpus.length, 3);
    // cpu0: total 100+0+50+500+20+0+5+0 = 675 (guest 40 is inside user); idle 500 + iowait 20.
    assert.deepEqual(cpus[0], { busy: 155, total: 675 });
    assert.equal(cpus[1], undefined);
    assert.deepEqual(cpus[2], { busy: 270, total: 800 });
  });

  it('leaves out a cpu line cut off by the end of the read', function () {
    const text = Buffer.from('cpu0 100 0 50 500 20 0 5 0 0 0\ncpu1 100 0 50 500 20 0 5 0 0 0\n');
    const cut = parseProcStatCpuTimes(text, text.length - 4);
    assert.deepEqual(cut, [{ busy: 155, total: 675 }]);
    assert.equal(parseProcStatCpuTimes(text).length, 2);
  });

  it('skips a cpu line with fewer than four counters or one that is not a number', function () {
    const cpus = parseProcStatCpuTimes(Buffer.from('cpu0 1 2 3\ncpu1 1 2 x 4\ncpu2 1 2 3 4\nintr 1\n'));
    assert.equal(cpus.length, 3);
    assert.equal(cpus[0], undefined);
    assert.equal(cpus[1], undefined);
    assert.deepEqual(cpus[2], { busy: 6, total: 10 });
  });
});

describe('coreBusyPercent', function () {
  it('is the busy share of the elapsed ticks of each core', function () {
    const usage = coreBusyPercent(
      [{ busy: 100, total: 1000 }, { busy: 0, total: 1000 }],
      [{ busy: 175, total: 1100 }, { busy: 0, total: 1100 }],
    );
    assert.deepEqual(usage, [75, 0]);
  });

  it('reports 0 for a core with no elapsed ticks or missing from a reading', function () {
    const usage = coreBusyPercent([{ busy: 5, total: 10 }, undefined], [{ busy: 5, total: 10 }, { busy: 50, total: 100 }]);
    assert.deepEqual(usage, [0, 0]);
  });
});

describe('parseLastPid', function () {
  it('reads the last field of /proc/loadavg', function () {
    assert.equal(parseLastPid(Buffer.from('0.20 0.18 0.12 1/80 11206\n')), 11206);
  });

  it('knows no pid when the field is missing or not a number', function () {
    assert.equal(parseLastPid(Buffer.from('11206\n')), null);
    assert.equal(parseLastPid(Buffer.from('0.20 0.18 0.12 1/80 x\n')), null);
    assert.equal(parseLastPid(Buffer.from('')), null);
  });
});

describe('parsePidList and processKey', function () {
  it('reads the pids of a children file', function () {
    assert.deepEqual(parsePidList('3742 3743 \n'), [3742, 3743]);
    assert.deepEqual(parsePidList(''), []);
  });

  it('gives the same pid a different key at a different start time', function () {
    assert.notEqual(processKey(42, 1000), processKey(42, 1001));
    assert.equal(processKey(42, 1000), processKey(42, 1000));
  });
});

describe('parseSchedstatInto', function () {
  it('reads the run time and the run-queue wait, in nanoseconds', function () {
    const times: SchedTimes = { runtimeNs: 0, runDelayNs: 0 };
    const text = line('391933800 1287010 27\n');
    assert.ok(parseSchedstatInto(times, text, text.length));
    assert.deepEqual(times, { runtimeNs: 391933800, runDelayNs: 1287010 });
  });

  it('refuses text that is not a schedstat line, and leaves the times alone', function () {
    const times: SchedTimes = { runtimeNs: 5, runDelayNs: 6 };
    for (const text of ['', '12', 'x 1 2\n', '1 -2 3\n', '1  2 3\n']) {
      assert.equal(parseSchedstatInto(times, line(text), text.length), false, JSON.stringify(text));
    }
    assert.deepEqual(times, { runtimeNs: 5, runDelayNs: 6 });
  });
});
