// How numbers read to the learner: one place, so the panel, the editor figures and the
// command line all say "12.3 ms" the same way.

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatPercent(value: number): string {
  return `${Math.round(value)} %`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(0)} KiB`;
  return `${bytes} B`;
}

/** "148–160 ms", or "990 ms–1.01 s" when the ends read in different units, or "403 ms" when they read the same. */
export function formatMsRange(low: number, high: number): string {
  const [from, to] = [formatMs(low), formatMs(high)];
  if (from === to) return from;
  const unit = (text: string): string => text.slice(text.lastIndexOf(' '));
  return unit(from) === unit(to) ? `${from.slice(0, from.lastIndexOf(' '))}–${to}` : `${from}–${to}`;
}
