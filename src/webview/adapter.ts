// The one place where the panel in VS Code and the standalone report differ: where the data
// comes from, where view state is kept, and where "reveal this line" goes.

import { REPORT_BLOCK_IDS, type FromWebview, type SourceText, type ToWebview, type ViewState } from '../shared/protocol';
import type { RunRecord } from '../shared/runRecord';
import type { ScalingResult } from '../shared/scaling';

export interface HostAdapter {
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
  post(message: FromWebview): void;
  onMessage(listener: (message: ToWebview) => void): void;
}

interface VsCodeApi {
  getState(): unknown;
  setState(state: unknown): void;
  postMessage(message: unknown): void;
}

declare global {
  // Defined by VS Code inside a webview, absent in a report opened from disk.
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export function createAdapter(): HostAdapter {
  return typeof globalThis.acquireVsCodeApi === 'function' ? vscodeAdapter(globalThis.acquireVsCodeApi()) : reportAdapter();
}

function vscodeAdapter(api: VsCodeApi): HostAdapter {
  return {
    getState: () => (api.getState() as ViewState | undefined) ?? undefined,
    setState: (state) => api.setState(state),
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent<ToWebview>) => listener(event.data)),
  };
}

const STATE_KEY = 'parallel-lab-view';

function reportAdapter(): HostAdapter {
  return {
    getState: () => {
      const saved = safeSessionStorage()?.getItem(STATE_KEY);
      return saved ? (JSON.parse(saved) as ViewState) : undefined;
    },
    setState: (state) => safeSessionStorage()?.setItem(STATE_KEY, JSON.stringify(state)),
    // A report has no editor to open; the code view highlights the line itself.
    post: () => undefined,
    // A report holds either a run (record and source) or a scaling result.
    onMessage: (listener) => {
      const record = readDataBlock<RunRecord>(REPORT_BLOCK_IDS.record);
      if (record) queueMicrotask(() => listener({ type: 'record', record, source: readDataBlock<SourceText>(REPORT_BLOCK_IDS.source) }));
      const result = readDataBlock<ScalingResult>(REPORT_BLOCK_IDS.scaling);
      if (result) queueMicrotask(() => listener({ type: 'scaling', result }));
    },
  };
}

/** Parsed once: a JSON block is not run as script, so it needs no nonce and costs one parse. */
function readDataBlock<T>(id: string): T | null {
  const text = document.getElementById(id)?.textContent;
  return text ? (JSON.parse(text) as T) : null;
}

/** A file:// page may be denied storage; view state then lasts as long as the page. */
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
