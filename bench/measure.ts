// What the benchmarks share: medians and the host's CPU time of a piece of work.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface WorkCost {
  /** User + system CPU of this whole Node process, thread pool included. */
  cpuMs: number;
  wallMs: number;
}

/** Host CPU (from process.cpuUsage()) and wall time of `work`. */
export async function measured<T>(work: () => T | Promise<T>): Promise<{ result: T; cost: WorkCost }> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const result = await work();
  const cpu = process.cpuUsage(cpuBefore);
  return { result, cost: { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Number(process.hrtime.bigint() - wallBefore) / 1e6 } };
}
