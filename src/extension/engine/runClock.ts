// The run's clock: milliseconds since the run started, on the monotonic clock that Node's
// hrtime and Python's time.monotonic_ns() both read (CLOCK_MONOTONIC on Linux), so host
// samples and tracer records share one time axis.

export class RunClock {
  readonly t0Ns: bigint;
  /** Wall-clock time of t0, for people reading the record. */
  readonly startedAt: Date;

  constructor(t0Ns: bigint = process.hrtime.bigint()) {
    this.t0Ns = t0Ns;
    this.startedAt = new Date(Date.now() - Number(process.hrtime.bigint() - t0Ns) / 1e6);
  }

  nowMs(): number {
    return Number(process.hrtime.bigint() - this.t0Ns) / 1e6;
  }
}
