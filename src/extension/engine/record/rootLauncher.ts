// Whether the process the host spawned is only a launcher of the real interpreter.
//
// On Windows a venv's `Scripts\python.exe` is a redirector: it starts the base interpreter
// as its child, waits for it and exits with its exit code. The run's root is then not the
// learner's Python, and without this rule the record would have two `main` processes, the
// run's exit code on the one that ran none of their code.
//
// The rule, applied alike by the run record and the live view, so that both say the same:
// - the tracer calls only the first traced interpreter of a run `main` (it marks the
//   environment, so every traced descendant is something else);
// - so a `main` that is not the root but the root's child means the root ran no tracer;
// - and the root never reported a start of its own (a traced root is the main itself).
// A pyenv shim or any wrapper that execs Python keeps the root's pid: its main is the root
// and nothing changes. The rule does not ask that the main be the root's only child: a
// windowless console program on Windows also has its console host (conhost.exe) as a child.

import type { TracerRecord } from '../tracer/tracerProtocol';

export class RootLauncher {
  private rootPid: number | null = null;
  private rootTraced = false;
  private found: { launcherPid: number; mainPid: number } | null = null;

  /** The pid the host spawned. */
  setRoot(pid: number): void {
    this.rootPid = pid;
  }

  /** The launcher and the main it started, once a record revealed them. */
  get launcher(): { launcherPid: number; mainPid: number } | null {
    return this.found;
  }

  /** Sees every tracer record before it is applied; true for the one that reveals the root as a launcher. */
  reveals(record: TracerRecord): boolean {
    if (record.type !== 'process-start' || this.rootPid === null || this.found !== null) return false;
    if (record.pid === this.rootPid) {
      this.rootTraced = true;
      return false;
    }
    if (this.rootTraced || record.role !== 'main' || record.ppid !== this.rootPid) return false;
    this.found = { launcherPid: this.rootPid, mainPid: record.pid };
    return true;
  }
}

/** The launcher's name in the process list; its command, kept beside it, says which program it was. */
export const LAUNCHER_NAME = 'launcher';
