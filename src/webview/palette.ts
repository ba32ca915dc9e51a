// Canvas colours, read from the --vscode-* theme variables (a canvas cannot use CSS variables
// directly). Read again when the theme changes.

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  border: string;
  grid: string;
  cpu: string;
  wait: string;
  hold: string;
  /** Waits for a signal: an Event, a Barrier, a Condition's notify. */
  signal: string;
  task: string;
  message: string;
  /** A thread ready to run Python but waiting for its process's GIL (drawn cross-hatched). */
  gil: string;
  focus: string;
  /** High-contrast themes outline every shape; empty otherwise. */
  contrastBorder: string;
}

export function readPalette(from: Element = document.documentElement): Palette {
  const style = getComputedStyle(from);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-foreground', '#cccccc'),
    muted: read('--vscode-descriptionForeground', '#999999'),
    background: read('--vscode-editor-background', '#1e1e1e'),
    border: read('--vscode-panel-border', '#80808059'),
    grid: read('--vscode-editorIndentGuide-background', '#80808033'),
    cpu: read('--vscode-charts-green', '#89d185'),
    wait: read('--vscode-charts-red', '#f14c4c'),
    hold: read('--vscode-charts-blue', '#3794ff'),
    signal: read('--vscode-charts-orange', '#d18616'),
    task: read('--vscode-charts-purple', '#b180d7'),
    message: read('--vscode-charts-yellow', '#cca700'),
    gil: read('--vscode-charts-purple', '#b180d7'),
    focus: read('--vscode-focusBorder', '#007fd4'),
    contrastBorder: style.getPropertyValue('--vscode-contrastBorder').trim(),
  };
}

/** Calls back when VS Code switches theme (body class) or the system scheme changes (report). */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', callback);
}
