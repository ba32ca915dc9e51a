// The per-run event endpoint the Python tracer reports to.
//
// One private endpoint per run: a UNIX socket inside a fresh 0700 folder, or a named pipe
// on Windows. Every connection must open with a hello line carrying the run's random token.
// Bad input is counted and dropped, never fatal: a learner's program (or anything else on
// the machine) can write garbage here without breaking the run.
//
// A connection may move on to a spool (see the tracer's spool.py): a file in the same
// private folder, announced as the last line the socket carries, read every SPOOL_READ_MS
// and to its end once the socket has closed. Its lines are the connection's, in order.
//
// A hello with the run's token from a tracer of another protocol version (an old copy of the
// tracer on the Python path) marks the run for a warning, and its connection's lines are
// dropped unread and uncounted: they may not mean what the parser would take them for.
//
// Besides the records, the server says when a connection of a process opens (its hello) and
// when every line it will ever carry has been read (its socket closed and its spool, if any,
// read to its end): a process that died has then told all it will (a pool worker's task
// that never ended is decided from this, see record/unfinishedTasks.ts).
//
// Every time a connection sends is moved onto the run's clock by the offset of the clock its
// process reads (tracerClocks.ts), learned from its hello and the clock line ahead of each
// batch on the socket. A spool's lines keep the offset their connection had last.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunClock } from '../run/runClock';
import { SPOOL_FILE_NAME, SpoolTail } from './spoolTail';
import { TracerClocks } from './tracerClocks';
import { parseHello, parseTracerRecords, type HelloVerdict } from './tracerRecordParser';
import { TRACER_ENV, type SpoolLine, type TracerRecord } from './tracerProtocol';

/** A line longer than this is not a tracer record; it is dropped as malformed. */
const MAX_LINE_CHARS = 1 << 20;

/** How often spools are read while their processes run: well inside the live view's 150 ms. */
const SPOOL_READ_MS = 40;

/** The line that moves a connection to a spool file. */
const SPOOL_LINE_START = '{"type":"spool"';

/** The line ahead of a batch on the socket: the sender's clock when it left. */
const CLOCK_LINE_START = '{"type":"clock"';

/** What became of the records read; a tracer of another protocol version's lines are in none of these (see the top). */
export interface EventCounts {
  received: number;
  malformed: number;
  unauthenticated: number;
}

/** What becomes of the run's tracer connections, by the pid their hello gives. */
export interface ConnectionWatch {
  /** A connection of `pid` said hello with the run's token and this protocol version: its records follow. */
  opened(pid: number): void;
  /** Every line of that connection has been read, its spool's included: nothing more comes from it. */
  read(pid: number): void;
}

const NO_WATCH: ConnectionWatch = { opened: () => undefined, read: () => undefined };

export class EventServer {
  readonly counts: EventCounts = { received: 0, malformed: 0, unauthenticated: 0 };
  private readonly sockets = new Set<net.Socket>();
  /** Connections reading a spool. */
  private readonly spooled = new Set<ConnectionReader>();
  private spoolTimer: NodeJS.Timeout | null = null;
  private readonly clocks = new TracerClocks();
  private helloArrived = false;
  private readonly otherVersions = new Set<number | null>();

  private constructor(
    private readonly server: net.Server,
    readonly endpoint: string,
    readonly token: string,
    private readonly privateDir: string,
    private readonly clock: RunClock,
    private readonly onRecord: (record: TracerRecord) => void,
    private readonly watch: ConnectionWatch,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** True once a connection opened with the run's token: a tracer loaded in some process of the run. */
  get tracerConnected(): boolean {
    return this.helloArrived;
  }

  /**
   * The protocol versions of the tracers whose hello had the run's token but not this
   * host's version (null: a tracer older than versions). Their records were ignored.
   */
  get otherTracerVersions(): ReadonlySet<number | null> {
    return this.otherVersions;
  }

  /** The environment variables that point the tracer here and give it the run's start. */
  get tracerVariables(): Record<string, string> {
    return {
      [TRACER_ENV.socket]: this.endpoint,
      [TRACER_ENV.token]: this.token,
      [TRACER_ENV.spool]: this.privateDir,
      [TRACER_ENV.t0Ns]: this.clock.t0Ns.toString(),
    };
  }

  /** `clock`: the run's, whose start the tracer measures from and whose axis records are put on. */
  static async open(clock: RunClock, onRecord: (record: TracerRecord) => void, watch: ConnectionWatch = NO_WATCH): Promise<EventServer> {
    const token = randomBytes(24).toString('hex');
    // mkdtemp creates the folder with mode 0700: only this user can reach the socket and
    // the spools in it.
    const privateDir = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-'));
    const endpoint =
      process.platform === 'win32' ? `\\\\.\\pipe\\parallel-lab-${randomBytes(12).toString('hex')}` : path.join(privateDir, 'events.sock');
    const server = net.createServer();
    const eventServer = new EventServer(server, endpoint, token, privateDir, clock, onRecord, watch);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      withPendingPipeInstances(() =>
        server.listen(endpoint, () => {
          server.off('error', reject);
          resolve();
        }),
      );
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
    // Unreferenced: the grace alone does not keep the host process alive.
    await Promise.race([drained, delay(graceMs, undefined, { ref: false })]);
    for (const socket of this.sockets) socket.destroy();
    await closed;
    // The processes are gone: what their spools hold is all there will be.
    for (const reader of [...this.spooled]) this.finishSpool(reader);
    // On Windows a spool still mapped by a process that outlived the run cannot be deleted
    // yet; the folder is in the temporary folder, and the run's record is what matters.
    await rm(this.privateDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    const reader = new ConnectionReader(
      this.counts,
      (line) => {
        const hello = parseHello(line, this.token);
        if (hello.kind === 'other-version') this.otherVersions.add(hello.version);
        this.helloArrived ||= hello.kind === 'hello';
        return hello;
      },
      (tracerMs) => this.clocks.place(tracerMs, this.clock.nowMs()),
      (clock) => this.clocks.offsetMs(clock),
      this.onRecord,
      (name) => this.moveToSpool(reader, name),
      this.watch,
    );
    socket.on('data', (chunk: Buffer) => reader.read(chunk));
    socket.on('end', () => reader.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      // Closed by the process, or by the kernel when it died: its spool is complete.
      if (reader.spool) this.finishSpool(reader);
      else reader.allRead();
    });
  }

  /** A connection announced a spool (or its spool the next file): read that from now on. */
  private moveToSpool(reader: ConnectionReader, name: string): void {
    if (!SPOOL_FILE_NAME.test(name)) {
      this.counts.malformed++;
      return;
    }
    reader.spool?.close();
    try {
      reader.spool = new SpoolTail(path.join(this.privateDir, name));
    } catch {
      reader.spool = null;
      this.counts.malformed++;
      return;
    }
    this.spooled.add(reader);
    this.spoolTimer ??= setInterval(() => this.readSpools(), SPOOL_READ_MS);
  }

  private readSpools(): void {
    for (const reader of this.spooled) readSpool(reader);
  }

  private finishSpool(reader: ConnectionReader): void {
    readSpool(reader);
    reader.spool?.close();
    reader.spool = null;
    reader.end();
    reader.allRead();
    this.spooled.delete(reader);
    if (this.spooled.size === 0 && this.spoolTimer) {
      clearInterval(this.spoolTimer);
      this.spoolTimer = null;
    }
  }
}

/**
 * Windows: a named pipe server keeps only 4 instances waiting for a client by default, and a
 * burst of processes (a pool starting) finds them all taken (the tracer then waits and
 * retries, see its transport.py). Node reads how many to keep from this variable, when
 * `listen` makes the pipe, and only there: set for that call alone.
 */
const PENDING_PIPE_INSTANCES = '64';

function withPendingPipeInstances(listen: () => void): void {
  if (process.platform !== 'win32') return listen();
  const before = process.env.NODE_PENDING_PIPE_INSTANCES;
  process.env.NODE_PENDING_PIPE_INSTANCES = PENDING_PIPE_INSTANCES;
  try {
    listen();
  } finally {
    if (before === undefined) delete process.env.NODE_PENDING_PIPE_INSTANCES;
    else process.env.NODE_PENDING_PIPE_INSTANCES = before;
  }
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

/** Reads a connection's spool to what is written now, following it into its next files. */
function readSpool(reader: ConnectionReader): void {
  let spool = reader.spool;
  let chunk: Buffer | null;
  while (spool && (chunk = spool.readNew())) {
    reader.read(chunk);
    // A line naming the next file moved the reader there: go on reading that one.
    spool = reader.spool;
  }
}

/** A clock reading as the tracer sends it: milliseconds, finite. */
function clockReadingOf(t: unknown): number | null {
  return typeof t === 'number' && Number.isFinite(t) ? t : null;
}

/** One connection's lines, from its socket and then its spool: hello first, then records. */
class ConnectionReader {
  spool: SpoolTail | null = null;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** What the hello said; null until it arrives. */
  private hello: HelloVerdict['kind'] | null = null;
  /** The clock this connection's process reads (an index of the run's TracerClocks). */
  private clock = 0;
  /** The pid its hello gave, until the watch has heard that all its lines were read. */
  private unreadPid: number | null = null;

  constructor(
    private readonly counts: EventCounts,
    private readonly readHello: (line: string) => HelloVerdict,
    private readonly placeReading: (tracerMs: number) => number,
    private readonly offsetOf: (clock: number) => number,
    private readonly onRecord: (record: TracerRecord) => void,
    private readonly onSpool: (file: string) => void,
    private readonly watch: ConnectionWatch,
  ) {}

  read(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.handleLine(line);
    }
    if (this.pending.length > MAX_LINE_CHARS) {
      this.counts.malformed++;
      this.pending = '';
    }
  }

  /** Every line has been read: the socket closed, and the spool (if any) was read to its end. */
  allRead(): void {
    if (this.unreadPid === null) return;
    this.watch.read(this.unreadPid);
    this.unreadPid = null;
  }

  /** A last line without its newline is still a complete write from a dying process. */
  end(): void {
    if (this.spool) return; // the socket is done, the spool not yet
    this.handleLine(this.pending + this.decoder.end());
    this.pending = '';
  }

  private handleLine(line: string): void {
    if (line.length === 0) return;
    if (this.hello === null) {
      const hello = this.readHello(line);
      this.hello = hello.kind;
      if (hello.kind === 'hello') {
        this.clock = this.placeReading(hello.hello.t);
        this.unreadPid = hello.hello.pid;
        this.watch.opened(hello.hello.pid);
      } else if (hello.kind === 'refused') this.counts.unauthenticated++;
      return;
    }
    if (this.hello === 'other-version') return;
    if (this.hello === 'refused') {
      this.counts.unauthenticated++;
      return;
    }
    if (line.startsWith(SPOOL_LINE_START)) {
      this.onSpool(spoolFileOf(line));
      return;
    }
    if (line.startsWith(CLOCK_LINE_START)) {
      const reading = clockLineReading(line);
      if (reading === null) this.counts.malformed++;
      // Placed only from the socket: a spool is read up to 40 ms after it was written.
      else if (!this.spool) this.clock = this.placeReading(reading);
      return;
    }
    const { records, malformed } = parseTracerRecords(line, this.offsetOf(this.clock));
    this.counts.malformed += malformed;
    this.counts.received += records.length;
    for (const record of records) this.onRecord(record);
  }
}

/** A clock line's reading; null (and ignored) when the line is not one. */
function clockLineReading(line: string): number | null {
  try {
    return clockReadingOf((JSON.parse(line) as { t?: unknown }).t);
  } catch {
    return null;
  }
}

/** The file a spool line names; '' (refused by the caller) when the line is not one. */
function spoolFileOf(line: string): string {
  try {
    const value: unknown = JSON.parse(line);
    const file = (value as Partial<Record<keyof SpoolLine, unknown>>).file;
    return typeof file === 'string' ? file : '';
  } catch {
    return '';
  }
}
