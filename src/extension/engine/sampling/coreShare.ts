// The run's own share of each core in one sampler interval, from two readings that do not
// quite agree: the run's CPU time put on the core each thread last ran on (exact in total,
// but a thread that moved between cores during the interval is put all on the last one),
// and each core's busy % from the kernel (the whole machine, in steps of a clock tick).
//
// A core cannot have been busier with the run than it was busy at all. So the run's time
// beyond a core's busy % is moved to the cores that were busy with something else, where
// the moving thread must have run; only what no core has room for (the two readings'
// rounding) stays where it was put. The total is kept either way: it is the exact part.

/**
 * `runOnLastCore`: the run's CPU per core, in % of that core, each thread's at the core it
 * last ran on. `busy`: each core's busy % (the whole machine). Returns the run's % of each
 * core; indices are CPU numbers, and a missing value counts as 0.
 */
export function placeRunOnCores(runOnLastCore: readonly number[], busy: readonly number[]): number[] {
  const cores = Math.max(runOnLastCore.length, busy.length);
  const run: number[] = [];
  const over: number[] = [];
  let excess = 0;
  for (let core = 0; core < cores; core++) {
    const wanted = runOnLastCore[core] ?? 0;
    const cap = busy[core] ?? 0;
    run.push(Math.min(wanted, cap));
    over.push(Math.max(0, wanted - cap));
    excess += over[core];
  }
  if (excess === 0) {
    return run;
  }
  let room = 0;
  for (let core = 0; core < cores; core++) {
    room += (busy[core] ?? 0) - run[core];
  }
  const moved = Math.min(excess, room);
  for (let core = 0; core < cores && room > 0; core++) {
    run[core] += (((busy[core] ?? 0) - run[core]) / room) * moved;
  }
  const left = excess - moved;
  for (let core = 0; core < cores; core++) {
    run[core] = Math.min(100, run[core] + (over[core] / excess) * left);
  }
  return run;
}
