// The per-run event endpoint the Python tracer reports to.
//
// One private endpoint per run: a UNIX socket inside a fresh 0700 folder, or a named pipe
// on Windows. Every connection must open with a hello line carrying the run's random token.
// Bad input is counted and dropped, never fatal: a learner's program (or anything else on
// the machine) can write garbage here without breaking the run.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parseTracerLine } from './tracerRecordParser';
import type { TracerRecord } from './tracerProtocol';

/** A line longer than this is not a tracer record; it is dropped as malformed. */
const MAX_LINE_CHARS = 1 << 20;

export interface EventCounts {
  received: number;
  malformed: number;
  unauthenticated: number;
}

export class EventServer {
  readonly counts: EventCounts = { received: 0, malformed: 0, unauthenticated: 0 };
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly endpoint: string,
    readonly token: string,
    private readonly privateDir: string | null,
    private readonly onRecord: (record: TracerRecord) => void,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async open(onRecord: (record: TracerRecord) => void): Promise<EventServer> {
    const token = randomBytes(24).toString('hex');
    let endpoint: string;
    let privateDir: string | null = null;
    if (process.platform === 'win32') {
      endpoint = `\\\\.\\pipe\\parallel-lab-${randomBytes(12).toString('hex')}`;
    } else {
      // mkdtemp creates the folder with mode 0700: only this user can reach the socket.
      privateDir = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-'));
      endpoint = path.join(privateDir, 'events.sock');
    }
    const server = net.createServer();
    const eventServer = new EventServer(server, endpoint, token, privateDir, onRecord);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(endpoint, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return eventServer;
  }

  /**
   * Stops accepting, then waits (at most `graceMs`) for open connections to deliver what
   * they still hold. Called after the program's process tree is gone, when every client
   * socket has been closed by the kernel and only buffered data remains.
   */
  async close(graceMs = 1000): Promise<void> {
    // A short-lived process may have connected, sent its records and exited while this
    // event loop was busy: its connection still waits in the listen backlog, and closing
    // the server now would reset it with the records in it. Accept what is waiting first.
    await turnOfPollPhase();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const drained = Promise.all(
      [...this.sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))),
    );
    await Promise.race([drained, delay(graceMs)]);
    for (const socket of this.sockets) socket.destroy();
    await closed;
    if (this.privateDir) await rm(this.privateDir, { recursive: true, force: true });
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let authenticated: boolean | null = null; // null until the hello line arrives

    const handleLine = (line: string): void => {
      if (line.length === 0) return;
      if (authenticated === null) {
        authenticated = this.isValidHello(line);
        if (!authenticated) this.counts.unauthenticated++;
        return;
      }
      if (!authenticated) {
        this.counts.unauthenticated++;
        return;
      }
      const record = parseTracerLine(line);
      if (!record) {
        this.counts.malformed++;
        return;
      }
      this.counts.received++;
      this.onRecord(record);
    };

    socket.on('data', (chunk: Buffer) => {
      pending += decoder.write(chunk);
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        handleLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
      if (pending.length > MAX_LINE_CHARS) {
        this.counts.malformed++;
        pending = '';
      }
    });
    socket.on('end', () => {
      // A last line without its newline is still a complete write from a dying process.
      handleLine(pending + decoder.end());
      pending = '';
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private isValidHello(line: string): boolean {
    try {
      const hello: unknown = JSON.parse(line);
      return (
        typeof hello === 'object' &&
        hello !== null &&
        (hello as { type?: unknown }).type === 'hello' &&
        (hello as { token?: unknown }).token === this.token
      );
    } catch {
      return false;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Resolves after the event loop has been through its poll phase, where libuv accepts every
 * connection waiting on a listening socket. One setImmediate may run in the check phase of
 * the current turn, after its poll phase; the second runs only after the next one.
 */
async function turnOfPollPhase(): Promise<void> {
  for (let hop = 0; hop < 2; hop++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
