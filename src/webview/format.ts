// Small helpers the panel's views share (numbers are formatted in src/shared/format.ts).

export { formatBytes, formatMs, formatMsRange, formatPercent } from '../shared/format';

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
