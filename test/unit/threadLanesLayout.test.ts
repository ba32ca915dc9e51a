// The timeline's lanes with threads: a process with one thread keeps its one 48 px lane as
// before; one with two or more gets a lane per thread under it (and a stove row where its
// threads waited for the GIL), unless the learner folded them; a lock event goes on the lane
// of the thread that made it while the lanes are shown; and y positions find their lane and
// row. A hand-made record: the layout is arithmetic on the record's shape.

import { strict as assert } from 'node:assert';
import type { LockEvent, ProcessEntry, ThreadEntry, ThreadState } from '../../src/shared/runRecord';
import { AXIS_HEIGHT, LANE_HEIGHT, LANE_KINDS, LaneGeometry } from '../../src/webview/timeline/layout';
import { buildTimelineModel, type TimelineModel } from '../../src/webview/timeline/model';
import { stoveTurns } from '../../src/webview/timeline/stoveTurns';
import { emptyRecord } from '../helpers/records';

const site = { file: '/x/a.py', line: 5 };

/** A thread read fast: each sample's interval split as its state says (the CPU ran, the rest went to the state). */
function thread(tid: number, name: string, states: Array<[number, ThreadState, number]>, startMs = 0): ThreadEntry {
  let previous = startMs;
  const samples = states.map(([t, state, cpu]) => {
    const interval = t - previous;
    previous = t;
    const ranMs = (cpu / 100) * interval;
    const rest = interval - ranMs;
    return { t, state, cpu, ranMs, coreWaitMs: 0, gilWaitMs: state === 'waiting-for-gil' ? rest : 0, waitingMs: state === 'waiting-for-gil' ? 0 : rest };
  });
  return { tid, name, python: true, startMs, endMs: 100, cpuMs: 10, samples };
}

function process(pid: number, threads: ThreadEntry[]): ProcessEntry {
  return { pid, ppid: 1, name: `p${pid}`, role: pid === 10 ? 'main' : 'process', startMs: 0, endMs: 100, exitCode: 0, cpuMs: 1, traced: true, samples: [], threads };
}

function cycle(pid: number, tid: number | undefined, requestMs: number): LockEvent {
  return { lock: 'L', pid, ...(tid === undefined ? {} : { tid }), requestMs, acquiredMs: requestMs + 1, releasedMs: requestMs + 2, site };
}

// Two chefs taking turns on one stove, 10 ms each, then both asleep.
const chefs = [
  thread(11, 'chef-1', [[10, 'running', 100], [20, 'waiting-for-gil', 0], [30, 'running', 90], [40, 'waiting', 0]]),
  thread(12, 'chef-2', [[10, 'waiting-for-gil', 0], [20, 'running', 100], [30, 'waiting-for-gil', 5], [40, 'waiting', 0]]),
];
const record = emptyRecord({
  processes: [process(10, [thread(10, 'MainThread', [[40, 'waiting', 1]]), ...chefs]), process(20, [thread(20, 'MainThread', [[40, 'running', 100]])])],
  locks: [{ id: 'L', kind: 'Lock', api: 'Lock', name: 'lock', internal: false, site }],
  lockEvents: [cycle(10, 12, 5), cycle(10, undefined, 6), cycle(20, 20, 7), cycle(10, 99, 8)],
});

function kinds(model: TimelineModel): string[] {
  return model.lanes.map((lane) => `${lane.kind}:${lane.label}`);
}

describe('timeline layout with thread lanes', () => {
  it('puts a lane per thread, and the stove row, under a process with two or more threads; one with a single thread keeps its one lane', () => {
    const model = buildTimelineModel(record, { showInternalLocks: false, line: null });
    assert.deepEqual(kinds(model), ['process:10 p10', 'stove:the stove (GIL)', 'thread:MainThread', 'thread:chef-1', 'thread:chef-2', 'process:20 p20']);
    const heights = model.lanes.map((_, i) => model.geometry.height(i));
    assert.deepEqual(heights, [LANE_HEIGHT, LANE_KINDS.stove.height, LANE_KINDS.thread.height, LANE_KINDS.thread.height, LANE_KINDS.thread.height, LANE_HEIGHT]);
    assert.equal(model.geometry.top(0), AXIS_HEIGHT);
    assert.equal(model.geometry.top(5), AXIS_HEIGHT + LANE_HEIGHT + LANE_KINDS.stove.height + 3 * LANE_KINDS.thread.height);
    assert.equal(model.geometry.totalHeight, model.geometry.top(5) + LANE_HEIGHT);
  });

  it('draws a lock event on the lane of the thread that made it, and one of no known thread on its process\'s lane', () => {
    const model = buildTimelineModel(record, { showInternalLocks: false, line: null });
    const drawn = model.lanes.map((lane) => Array.from(lane.locks.source));
    // Event 0 (tid 12) on chef-2's lane; 1 (no tid) and 3 (a tid of no thread) on p10's; 2 on p20's.
    assert.deepEqual(drawn, [[1, 3], [], [], [], [0], [2]]);
  });

  it('folds a process\'s thread lanes away when asked, its lock events back on its own lane', () => {
    const model = buildTimelineModel(record, { showInternalLocks: false, line: null, foldedThreadPids: [10] });
    assert.deepEqual(kinds(model), ['process:10 p10', 'process:20 p20']);
    assert.deepEqual(Array.from(model.lanes[0].locks.source), [0, 1, 3]);
    assert.equal(model.lanes[0].kind === 'process' && model.lanes[0].folded, true);
    assert.deepEqual(model.lanes.map((_, i) => model.geometry.top(i)), [AXIS_HEIGHT, AXIS_HEIGHT + LANE_HEIGHT], 'the 48 px lanes of before');
  });

  it('has no stove row without a GIL, nor where fewer than two threads fought over it', () => {
    const noGil = buildTimelineModel({ ...record, python: { ...record.python, gilEnabled: false } }, { showInternalLocks: false, line: null });
    assert.ok(!noGil.lanes.some((lane) => lane.kind === 'stove'));
    const sleepers = emptyRecord({ processes: [process(10, [thread(10, 'MainThread', [[40, 'waiting', 0]]), thread(11, 'a', [[40, 'waiting', 0]])])] });
    assert.deepEqual(kinds(buildTimelineModel(sleepers, { showInternalLocks: false, line: null })), ['process:10 p10', 'thread:MainThread', 'thread:a']);
  });

  it('finds the lane and row under a y position', () => {
    const geometry = new LaneGeometry(['process', 'stove', 'thread', 'process']);
    const [stoveTop, threadTop] = [geometry.top(1), geometry.top(2)];
    assert.equal(geometry.laneAt(AXIS_HEIGHT - 1), null, 'the axis');
    assert.deepEqual(geometry.rowAt(AXIS_HEIGHT + 9), { lane: 0, row: 'cpu' });
    assert.deepEqual(geometry.rowAt(stoveTop + 8), { lane: 1, row: 'turns' });
    assert.deepEqual(geometry.rowAt(threadTop + 7), { lane: 2, row: 'state' });
    assert.deepEqual(geometry.rowAt(threadTop + 20), { lane: 2, row: 'lock' });
    assert.deepEqual(geometry.rowAt(geometry.top(3) + 25), { lane: 3, row: 'lock' });
    assert.equal(geometry.laneAt(geometry.totalHeight), null, 'below the last lane');
  });

  it('gives the stove to the thread that ran most of each interval, turn by turn', () => {
    const turns = stoveTurns(chefs).map((turn) => [turn.holder, turn.fromMs, turn.toMs, Math.round(turn.ranMs)]);
    // chef-1 0-10 ran 100 %, chef-2 10-20, chef-1 20-30 (90 %); 30-40 both asleep: no one's turn.
    assert.deepEqual(turns, [[0, 0, 10, 10], [1, 10, 20, 10], [0, 20, 30, 9]]);
    const shared = stoveTurns([thread(1, 'a', [[10, 'running', 45]]), thread(2, 'b', [[10, 'running', 55]])]);
    assert.deepEqual(shared.map((turn) => [turn.holder, turn.ranMs]), [[1, 5.5]], 'an interval two threads shared goes to the one that ran longer');
  });
});
