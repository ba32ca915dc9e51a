// The run's clock: milliseconds since the run started, on Node's monotonic clock. Host
// samples are read on it; the tracer's records are moved onto it per connection, since
// Python's clock need not be Node's (tracerClocks.ts).

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
