// The warning for a run the tracer never reported from. The tracer loads through a
// sitecustomize module on PYTHONPATH, and some interpreters ignore PYTHONPATH: Windows'
// embeddable Python (its ._pth file lists the only paths it uses), or a wrapper that starts
// python with -I, -E or -S. The run then still shows the sampler's processes, CPU and
// memory, but roles, locks, messages and tasks are missing with no sign why.

import type { RunOutcome } from '../../../shared/runRecord';

/**
 * A run stopped this soon may have ended Python before it got to loading the tracer:
 * silence then says nothing about the interpreter.
 */
const STARTUP_ALLOWANCE_MS = 2000;

export function silentTracerWarning(tracerConnected: boolean, outcome: RunOutcome, durationMs: number): string | null {
  if (tracerConnected) return null;
  if (outcome !== 'exited' && durationMs < STARTUP_ALLOWANCE_MS) return null;
  return (
    "Nothing arrived from Parallel Lab's tracer, so this run shows only the processes' CPU and memory: " +
    'no roles, locks, messages or tasks. The tracer loads through PYTHONPATH, which this Python ignored: ' +
    'an embeddable Python whose ._pth file lists its own paths ignores it, and so does a python started with -I, -E or -S. ' +
    'Choose a regular Python installation or a virtual environment (Select Python Interpreter, or --python PATH).'
  );
}
