// What the timeline's model keeps of a record: the standard library's own locks and the
// arrows of its own channels only when the toggle shows them, and the lock inside an Event
// never, even in a record made before the tracer stopped reporting it (as this one is).

import { strict as assert } from 'node:assert';
import type { IpcEvent, LockEvent } from '../../src/shared/runRecord';
import { buildTimelineModel, type TimelineModel } from '../../src/webview/timeline/model';
import { emptyRecord } from '../helpers/records';

const site = { file: '/x/a.py', line: 5 };

function cycle(lock: string, requestMs: number): LockEvent {
  return { lock, pid: 1, requestMs, acquiredMs: requestMs + 1, releasedMs: requestMs + 2, site };
}

function message(channel: string, id: string, t: number): IpcEvent[] {
  return [
    { channel, kind: 'queue', op: 'put', pid: 1, t, waitMs: 0, bytes: 10, site, message: id },
    { channel, kind: 'queue', op: 'get', pid: 2, t: t + 1, waitMs: 0, bytes: 10, site, message: id },
  ];
}

const record = emptyRecord({
  processes: [1, 2].map((pid) => ({ pid, ppid: 0, name: `p${pid}`, role: 'process', startMs: 0, endMs: 100, exitCode: 0, cpuMs: 1, traced: true, samples: [] })),
  locks: [
    { id: 'E', kind: 'Event', api: 'Event', name: 'ready', internal: false, site },
    // The lock inside that Event, as the tracer reported it before: internal, api "Event".
    { id: 'E-lock', kind: 'Lock', api: 'Event', internal: true, site },
    { id: 'L', kind: 'Lock', api: 'Lock', name: 'lock', internal: false, site },
    { id: 'P', kind: 'Lock', api: 'Pool', internal: true, site: null },
  ],
  lockEvents: [cycle('E-lock', 10), cycle('E', 10), cycle('L', 20), cycle('P', 30), cycle('E-lock', 40)],
  channels: [
    { id: 'results', kind: 'queue', api: 'Queue', name: 'results', internal: false, site },
    { id: 'tasks', kind: 'queue', api: 'SimpleQueue', internal: true, site: null },
  ],
  ipcEvents: [...message('results', 'r1', 10), ...message('tasks', 't1', 20), ...message('tasks', 't2', 30)],
});

function drawnLocks(model: TimelineModel): string[] {
  return model.lanes.flatMap((lane) => Array.from(lane.locks.source, (index) => record.lockEvents[index].lock));
}

describe('timeline model: the standard library\'s own objects', () => {
  it('leaves out their lock cycles and message arrows by default, and the lock inside an Event', () => {
    const model = buildTimelineModel(record, { showInternalLocks: false, line: null });
    assert.deepEqual(drawnLocks(model), ['E', 'L']);
    assert.deepEqual(model.arrows.map((arrow) => arrow.from.message), ['r1']);
  });

  it('shows them when asked, but still not the lock inside an Event', () => {
    const model = buildTimelineModel(record, { showInternalLocks: true, line: null });
    assert.deepEqual(drawnLocks(model), ['E', 'L', 'P']);
    assert.deepEqual(model.arrows.map((arrow) => arrow.from.message), ['r1', 't1', 't2']);
  });
});
