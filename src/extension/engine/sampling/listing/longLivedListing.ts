// One process that prints a process listing each time it reads a line, kept for the whole
// run. Starting a process per tick costs little where it is `ps`, but on Windows it is a
// PowerShell, whose start takes longer than a 100 ms tick (and pidusage started another
// one, for CPU times, on each tick too).
//
// The framing: after each listing the process prints the line `--- end of listing N ---`,
// N being the listing command's exit status (0: the text above it is a whole listing). No
// line of a listing can look like that: `ps` lines begin with a pid, and PowerShell's
// listing is one line of JSON.
//
// A process found dead when asked is started again, and asked once more, so that its death
// costs no tick (Node may not have seen it die yet when the request is written); one that
// dies again, or takes longer than the timeout to answer, fails the request and is started
// again at the next. close() kills it; should the host die first, the process reads the
// end of its input and exits by itself.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Socket } from 'node:net';

export interface ListingCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** The frame's end as the listing process prints it (see above). */
const END_OF_LISTING = /(?:^|\r?\n)--- end of listing (\d+) ---\r?\n/;

/** A listing of thousands of processes takes tens of ms; a PowerShell starting, a second or two. */
const DEFAULT_ANSWER_TIMEOUT_MS = 15_000;

/** The listing process ended, or could not start. */
class ListingProcessDied extends Error {}

interface PendingRequest {
  resolve(text: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class LongLivedListing {
  private child: ChildProcessWithoutNullStreams | null = null;
  private received = '';
  private pending: PendingRequest | null = null;
  /** Requests wait for the one before: one listing in flight at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly listingCommand: ListingCommand,
    private readonly answerTimeoutMs = DEFAULT_ANSWER_TIMEOUT_MS,
  ) {}

  /** The pid of the listing process, while one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The text of one whole listing. */
  next(): Promise<string> {
    const request = this.queue.then(() => this.request());
    this.queue = request.catch(() => undefined);
    return request;
  }

  close(): void {
    this.closed = true;
    this.stop(new Error('The process listing was closed.'));
  }

  private async request(): Promise<string> {
    try {
      return await this.ask();
    } catch (error) {
      if (!(error instanceof ListingProcessDied)) throw error;
      return this.ask();
    }
  }

  private ask(): Promise<string> {
    if (this.closed) {
      return Promise.reject(new Error('The process listing was closed.'));
    }
    const child = this.child ?? this.start();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => this.stop(new Error(`The process listing did not answer within ${this.answerTimeoutMs} ms.`)), this.answerTimeoutMs);
      this.pending = { resolve, reject, timer };
      child.stdin.write('\n');
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const { command, args, env } = this.listingCommand;
    // POSIX: its own process group, so that close() also ends a `ps` it is running.
    const child = spawn(command, args, { env, detached: process.platform !== 'win32', windowsHide: true, stdio: 'pipe' });
    this.child = child;
    this.received = '';
    // Like the sampler's timer, it never keeps the host alive by itself (the command line
    // exits when its run is over); the process then reads the end of its input.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      if (stream instanceof Socket) stream.unref();
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onOutput(chunk));
    child.stderr.resume(); // unread, a full stderr pipe would block it
    child.stdin.on('error', () => undefined); // a write after it died: 'exit' reports it
    const died = (reason: string): void => {
      if (this.child === child) {
        this.child = null;
        this.fail(new ListingProcessDied(`The process listing (${command}) ${reason}.`));
      }
    };
    child.once('error', (error) => died(`could not run: ${error.message}`));
    child.once('exit', (code, signal) => died(`exited (${signal ?? `code ${code}`})`));
    return child;
  }

  private onOutput(chunk: string): void {
    this.received += chunk;
    const end = END_OF_LISTING.exec(this.received);
    if (end === null) {
      return;
    }
    const text = this.received.slice(0, end.index);
    this.received = this.received.slice(end.index + end[0].length);
    const status = Number(end[1]);
    if (status === 0) {
      this.settle((request) => request.resolve(text));
    } else {
      this.fail(new Error(`The process listing failed (status ${status}).`));
    }
  }

  private fail(error: Error): void {
    this.settle((request) => request.reject(error));
  }

  private settle(how: (request: PendingRequest) => void): void {
    const request = this.pending;
    this.pending = null;
    if (request !== null) {
      clearTimeout(request.timer);
      how(request);
    }
  }

  /** Ends the process (and, on POSIX, what it started) and fails a request in flight. */
  private stop(error: Error): void {
    const child = this.child;
    this.child = null;
    if (child !== null && child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.stdin.end();
      try {
        process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.fail(error);
  }
}
