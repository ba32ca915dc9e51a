// `--trace OUT`: Chrome Trace Event JSON of a real run with locks, messages and a pool.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';

interface TraceEvent {
  name?: unknown;
  ph?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
  dur?: unknown;
  id?: unknown;
  cat?: unknown;
}

const REQUIRED: Record<string, string[]> = {
  X: ['name', 'pid', 'tid', 'ts', 'dur'],
  C: ['name', 'pid', 'ts'],
  M: ['name', 'pid'],
  s: ['name', 'pid', 'tid', 'ts', 'id'],
  f: ['name', 'pid', 'tid', 'ts', 'id'],
};

describe('parallel-lab run --trace', function () {
  this.timeout(60_000);

  it('writes valid Chrome trace JSON whose slices nest on every track', async () => {
    const file = writeProgram(
      'busy.py',
      `
      from multiprocessing import Lock, Pipe, Pool, Process, Queue

      def square(x):
          return x * x

      def worker(lock, queue, conn):
          for _ in range(5):
              with lock:
                  queue.put("x" * 100)
          conn.send(b"hello")

      if __name__ == "__main__":
          lock, queue = Lock(), Queue()
          parent_end, child_end = Pipe()
          children = [Process(target=worker, args=(lock, queue, child_end)) for _ in range(2)]
          for child in children:
              child.start()
          for _ in range(10):
              queue.get()
          for _ in range(2):
              parent_end.recv()
          for child in children:
              child.join()
          with Pool(2) as pool:
              print(sum(pool.map(square, range(5))))
      `,
    );
    const trace = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-trace-')), 'trace.json');
    const result = await runCli(['run', file, '--quiet', '--trace', trace]);
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: TraceEvent[] };
    assert.ok(Array.isArray(document.traceEvents));
    for (const event of document.traceEvents) {
      const required = REQUIRED[String(event.ph)];
      assert.ok(required, `known phase: ${JSON.stringify(event)}`);
      for (const field of required) assert.notEqual(event[field as keyof TraceEvent], undefined, `${field} in ${JSON.stringify(event)}`);
    }
    const slices = document.traceEvents.filter((e) => e.ph === 'X') as Array<Required<Pick<TraceEvent, 'pid' | 'tid' | 'ts' | 'dur' | 'cat'>>>;
    const categories = new Set(slices.map((s) => s.cat));
    // (Lock waits depend on contention, which this program does not force.)
    for (const category of ['lock-hold', 'task', 'ipc-put', 'ipc-get', 'ipc-send', 'ipc-recv']) {
      assert.ok(categories.has(category), `slices of ${category}`);
    }
    assert.ok(document.traceEvents.some((e) => e.ph === 'C' && /CPU/.test(String(e.name))), 'CPU counter tracks');
    assert.ok(document.traceEvents.some((e) => e.ph === 's') && document.traceEvents.some((e) => e.ph === 'f'), 'flow arrows');
    const tracks = new Map<string, Array<{ start: number; end: number }>>();
    for (const slice of slices) {
      const key = `${String(slice.pid)}/${String(slice.tid)}`;
      tracks.set(key, [...(tracks.get(key) ?? []), { start: Number(slice.ts), end: Number(slice.ts) + Number(slice.dur) }]);
    }
    for (const [key, track] of tracks) {
      track.sort((a, b) => a.start - b.start || b.end - a.end);
      const open: Array<{ start: number; end: number }> = [];
      for (const slice of track) {
        while (open.length > 0 && open[open.length - 1].end <= slice.start) open.pop();
        const parent = open[open.length - 1];
        assert.ok(!parent || slice.end <= parent.end, `slices nest on track ${key}: ${JSON.stringify(parent)} vs ${JSON.stringify(slice)}`);
        open.push(slice);
      }
    }
  });
});
