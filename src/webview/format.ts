// How numbers read in the panel: one place, so every view says "12.3 ms" the same way.

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

export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Creates an element with a class and optional text: the views build their DOM with it. */
export function element<K extends keyof HTMLElementTagNameMap>(tagName: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tagName);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}
