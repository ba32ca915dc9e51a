// The event server reads a connection's spool (the tracer's spool.py): after the line that
// announces it, in order after what the socket carried, while the process runs, to its end
// once the socket closes, into the next file a full one names; a name that is not a spool
// file of the private folder is refused. Real sockets and files; the last test kills a real
// pool worker that wrote to its spool.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { EventServer } from '../../src/extension/engine/tracer/eventServer';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { TRACER_ENV, TRACER_PROTOCOL_VERSION, type TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { writeProgram } from '../helpers/pythonPrograms';
import { runTraced } from '../helpers/tracedPython';

const SPOOL_BYTES = 4096;

function line(record: object): string {
  return JSON.stringify(record) + '\n';
}

function warning(pid: number, message: string): object {
  return { type: 'warning', pid, message };
}

/** A spool file as the tracer leaves it: its lines, then zeros. */
function writeSpool(folder: string, name: string, text: string): void {
  const bytes = Buffer.alloc(SPOOL_BYTES);
  bytes.write(text, 'ascii');
  writeFileSync(path.join(folder, name), bytes);
}

async function connect(server: EventServer, text: string): Promise<net.Socket> {
  const socket = net.createConnection(server.endpoint);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(line({ type: 'hello', v: TRACER_PROTOCOL_VERSION, token: server.token, pid: 7, t: 0 }) + text);
  return socket;
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => (check() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : void setTimeout(tick, 10));
    tick();
  });
}

describe('event server spools (real sockets and files)', () => {
  it('reads the socket, then the spool it announced and the next file that one names, in order', async () => {
    const received: string[] = [];
    const server = await EventServer.open(new RunClock(), (record: TracerRecord) => received.push((record as { message?: string }).message ?? record.type));
    const folder = server.tracerVariables[TRACER_ENV.spool];
    writeSpool(folder, '7-1.spool', line(warning(7, 'second')) + line({ type: 'spool', file: '7-2.spool' }));
    writeSpool(folder, '7-2.spool', line(warning(7, 'third')));
    const socket = await connect(server, line(warning(7, 'first')) + line({ type: 'spool', file: '7-1.spool' }));
    // Read while the connection is open: a live view sees a running worker's records.
    await until(() => received.length === 3);
    assert.deepEqual(received, ['first', 'second', 'third']);
    socket.end();
    await server.close(1000);
    assert.deepEqual(server.counts, { received: 3, malformed: 0, unauthenticated: 0 });
  });

  it('reads what a spool holds when its socket closes, a last line without its newline too', async () => {
    const received: string[] = [];
    const server = await EventServer.open(new RunClock(), (record) => received.push((record as { message?: string }).message ?? record.type));
    const socket = await connect(server, line({ type: 'spool', file: '7-1.spool' }));
    await until(() => received.length === 0);
    writeSpool(server.tracerVariables[TRACER_ENV.spool], '7-1.spool', line(warning(7, 'a')) + JSON.stringify(warning(7, 'b')));
    socket.destroy();
    await server.close(1000);
    assert.deepEqual(received, ['a', 'b']);
  });

  it('tells when a connection opens and when every line of it, its spool\'s included, has been read', async () => {
    const seen: string[] = [];
    const server = await EventServer.open(
      new RunClock(),
      (record) => seen.push((record as { message?: string }).message ?? record.type),
      { opened: (pid) => seen.push(`opened ${pid}`), read: (pid) => seen.push(`read ${pid}`) },
    );
    // The tracer makes its spool before it announces it, and writes into it later.
    const folder = server.tracerVariables[TRACER_ENV.spool];
    writeSpool(folder, '7-1.spool', '');
    const spooled = await connect(server, line(warning(7, 'on the socket')) + line({ type: 'spool', file: '7-1.spool' }));
    await until(() => seen.length === 2);
    writeSpool(folder, '7-1.spool', line(warning(7, 'in the spool')));
    assert.ok(!seen.includes('read 7'), 'not all read while the socket is open');
    spooled.destroy();
    await until(() => seen.includes('read 7'));
    assert.deepEqual(seen, ['opened 7', 'on the socket', 'in the spool', 'read 7']);
    // A connection refused at its hello is no process's.
    const stranger = net.createConnection(server.endpoint);
    await new Promise<void>((resolve) => stranger.once('connect', () => resolve()));
    stranger.end(line({ type: 'hello', v: TRACER_PROTOCOL_VERSION, token: 'not the token', pid: 8, t: 0 }));
    await server.close(1000);
    assert.deepEqual(seen, ['opened 7', 'on the socket', 'in the spool', 'read 7']);
    assert.equal(server.counts.unauthenticated, 1);
  });

  it('refuses a spool name that is not a spool file of its folder', async () => {
    const server = await EventServer.open(new RunClock(), () => undefined);
    const socket = await connect(server, line({ type: 'spool', file: '../../etc/passwd' }) + line({ type: 'spool', file: '7-9.spool' }));
    socket.end();
    await server.close(1000);
    assert.equal(server.counts.malformed, 2, 'a path outside the folder, and a spool file that does not exist');
  });

  it("keeps every task of a pool worker killed after its results (SIGKILL): they were in its spool", async () => {
    const file = writeProgram(
      'killed_worker.py',
      `
      import multiprocessing as mp, os, signal, time

      def square(x):
          return x * x

      if __name__ == "__main__":
          pool = mp.Pool(1)
          print(sum(pool.map(square, range(200), chunksize=1)))
          # Killed inside a task: idle, it would hold the task queue's lock and hang the pool.
          [worker] = pool._pool
          pool.apply_async(time.sleep, (30,))
          time.sleep(0.5)
          os.kill(worker.pid, signal.SIGKILL)
          pool.terminate()
          pool.join()
      `,
    );
    const run = await runTraced(file, { startMethod: 'fork' });
    assert.equal(run.stdout.trim(), String(Array.from({ length: 200 }, (_, i) => i * i).reduce((a, b) => a + b)));
    const tasks = run.records.filter((r) => r.type === 'task-batch').flatMap((r) => (r as { events: unknown[] }).events);
    assert.equal(tasks.length, 200);
  });
});
