// How each tracer connection's times map onto the run's clock.
//
// The tracer measures its times from the run's start (PARALLEL_LAB_T0_NS) on Python's
// monotonic clock, which need not be Node's: on macOS Node's counts through sleep and
// Python's does not, so after a laptop has slept the two differ by the total sleep since
// boot (hours, often); in a Linux time namespace by whatever the namespace says. So no
// shared clock is assumed. Every connection sends readings of its clock (its hello, and a
// clock line ahead of each batch on the socket), and each reading bounds the offset from
// below: Python read its clock before the host read its own, when the line arrived.
//
// Readings are grouped into the clocks the run's processes read. The host's own clock is
// one, with offset exactly 0: a reading at most SAME_CLOCK_MS behind it is taken as that
// clock, late by the delivery. Any other clock keeps the tightest bound any connection gave
// it, so every process on one clock gets the same offset and their order stays exact.
// A connection whose reading leaves its clock (the Mac slept during the run) moves on.

/** How far a reading may lag behind its clock (delivery, a busy host) and still be it. */
export const SAME_CLOCK_MS = 1000;

export class TracerClocks {
  /** Offsets (tracer minus host, ms) of the clocks seen; the first is the host's own. */
  private readonly offsets: number[] = [0];

  /** The clock a reading belongs to, given as an index into this run's clocks. */
  place(tracerMs: number, hostMs: number): number {
    const reading = tracerMs - hostMs;
    let best = -1;
    for (let clock = 0; clock < this.offsets.length; clock++) {
      const offset = this.offsets[clock];
      // A reading lies behind its clock's true offset, never ahead of it; a little ahead is
      // a tighter bound than the best so far (not for the host's own clock: that is exact).
      const ahead = clock === 0 ? 1 : SAME_CLOCK_MS;
      if (reading >= offset - SAME_CLOCK_MS && reading <= offset + ahead) {
        if (best < 0 || Math.abs(reading - offset) < Math.abs(reading - this.offsets[best])) best = clock;
      }
    }
    if (best < 0) {
      this.offsets.push(reading);
      return this.offsets.length - 1;
    }
    if (best > 0 && reading > this.offsets[best]) this.offsets[best] = reading;
    return best;
  }

  /** What to subtract from a time of `clock` to put it on the run's axis, in whole µs. */
  offsetMs(clock: number): number {
    return Math.round(this.offsets[clock] * 1000) / 1000;
  }
}
