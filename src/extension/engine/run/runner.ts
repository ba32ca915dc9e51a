// Starts the Python program as the leader of its own process group (a new session on
// POSIX), gives it its input, captures its output, and ends the whole tree on demand:
// SIGTERM to the group and to every pid the run has seen, then SIGKILL after a grace
// period. On Windows the tree is ended with taskkill /T.

import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { CappedText } from './cappedText';
import { UserFacingError } from './errors';
import { isProcessAlive, signalProcessTree } from './processTree';

/**
 * Where the program's standard input comes from.
 * - 'inherit': the host's own stdin, handed over as it is (the command line): a pipe, a
 *   file or a terminal behave as under plain python. A program in its own session (POSIX,
 *   see start()) can still read a terminal it inherited: only reading one's *controlling*
 *   terminal from a background group is stopped, and this one is not its controlling terminal.
 * - 'pipe': the host writes it with writeInput() and ends it with endInput() (VS Code's terminal).
 * - 'ignore': empty; the first read returns end-of-file.
 */
export type StdinMode = 'inherit' | 'pipe' | 'ignore';

export interface RunnerOptions {
  executable: string;
  /** Arguments to the interpreter: the file and the program's own arguments. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  maxOutputChars: number;
  /** Time between SIGTERM and SIGKILL. */
  stopGraceMs: number;
  /** Every pid the run has seen so far, so a process that left the group is ended too. */
  knownPids: () => Iterable<number>;
  /** Default 'ignore'. */
  stdin?: StdinMode;
  /** Each chunk as the program wrote it (`bytes`) and decoded as UTF-8 (`text`). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string, bytes: Buffer) => void;
}

export interface RootExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface CapturedOutput {
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

const POLL_MS = 25;
/** How long processes may outlive the main process before they count as leftovers. */
const LEFTOVER_GRACE_MS = 500;
/** After SIGKILL, how long to wait for the kernel to reap the tree before giving up. */
const KILL_SETTLE_MS = 2000;
/** How long to wait for output pipes a lingering grandchild might still hold. */
const PIPE_CLOSE_WAIT_MS = 1000;

export class Runner {
  readonly pid: number;
  /** Resolves when the program's main process has exited. */
  readonly rootExit: Promise<RootExit>;
  private readonly stdout: CappedText;
  private readonly stderr: CappedText;
  private readonly pipesClosed: Promise<void>;
  private rootExited = false;

  private constructor(private readonly child: ChildProcess, private readonly options: RunnerOptions) {
    if (child.pid === undefined) throw new Error('spawned child has no pid');
    this.pid = child.pid;
    this.stdout = new CappedText(options.maxOutputChars);
    this.stderr = new CappedText(options.maxOutputChars);
    child.stdout?.on('data', (chunk: Buffer) => options.onOutput?.('stdout', this.stdout.append(chunk), chunk));
    child.stderr?.on('data', (chunk: Buffer) => options.onOutput?.('stderr', this.stderr.append(chunk), chunk));
    // EPIPE when the program ends or closes its stdin before reading what was sent: that
    // input is lost, as it would be in a terminal, and the run goes on.
    child.stdin?.on('error', () => undefined);
    this.rootExit = new Promise((resolve) => {
      child.once('exit', (exitCode, signal) => {
        this.rootExited = true;
        resolve({ exitCode, signal });
      });
    });
    this.pipesClosed = new Promise((resolve) => child.once('close', () => resolve()));
  }

  static async start(options: RunnerOptions): Promise<Runner> {
    const child = spawn(options.executable, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
      // POSIX: setsid(), so the program leads its own session and process group and one
      // signal to the group reaches every descendant that did not leave it.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new UserFacingError(`Could not start ${options.executable}: ${error.message}.`)),
      );
    });
    return new Runner(child, options);
  }

  /** Sends input to the program (stdin 'pipe'); dropped once the program's stdin is closed. */
  writeInput(data: string): void {
    if (this.child.stdin?.writable) this.child.stdin.write(data);
  }

  /** Ends the program's input (stdin 'pipe'): its next read returns end-of-file. */
  endInput(): void {
    if (this.child.stdin?.writable) this.child.stdin.end();
  }

  /** Ends the whole tree: SIGTERM, then SIGKILL after the grace period. Resolves when it is gone. */
  async stop(): Promise<void> {
    await this.signalTree('SIGTERM');
    if (await this.waitForTreeGone(this.options.stopGraceMs)) return;
    await this.signalTree('SIGKILL');
    await this.waitForTreeGone(KILL_SETTLE_MS);
  }

  /**
   * After the main process exited: ends whatever it left running (a detached worker, a
   * `subprocess` child) so a finished run leaves no process behind. Returns the pids that
   * were still alive.
   */
  async endLeftovers(): Promise<number[]> {
    // Helpers such as multiprocessing's resource tracker exit by themselves just after the
    // main process; give them a moment before calling anything a leftover.
    if (await this.waitForTreeGone(LEFTOVER_GRACE_MS)) return [];
    const leftovers = this.livePids();
    await this.stop();
    return leftovers;
  }

  /** The captured output; waits briefly for the pipes to close so the last bytes are in. */
  async output(): Promise<CapturedOutput> {
    await waitAtMost(this.pipesClosed, PIPE_CLOSE_WAIT_MS);
    // A process that escaped the tree may still hold the pipes open: stop reading them, or
    // it would keep the host (the command line) waiting after the run is over.
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    return {
      stdout: this.stdout.finish(),
      stderr: this.stderr.finish(),
      stdoutTruncated: this.stdout.truncated,
      stderrTruncated: this.stderr.truncated,
    };
  }

  private signalTree(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    return signalProcessTree(this.pid, this.options.knownPids(), signal);
  }

  private livePids(): number[] {
    const pids = new Set<number>(this.options.knownPids());
    if (!this.rootExited) pids.add(this.pid);
    return [...pids].filter((pid) => pid !== process.pid && isProcessAlive(pid));
  }

  private async waitForTreeGone(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.rootExited && this.livePids().length === 0) return true;
      if (Date.now() >= deadline) return false;
      await delay(POLL_MS);
    }
  }
}

/**
 * Waits for `promise`, but `ms` at most. The timer is cleared as soon as the promise
 * settles: a pending timer would keep the command line alive after the run is over.
 */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
