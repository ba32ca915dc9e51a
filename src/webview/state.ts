// The view state (zoom, pan, filters, toggles): one store, persisted through the adapter so
// the panel comes back as the learner left it.

import { DEFAULT_VIEW_STATE, type ViewState } from '../shared/protocol';
import type { HostAdapter } from './adapter';

export type ViewStateListener = (state: ViewState, previous: ViewState) => void;

export class ViewStore {
  private current: ViewState;
  private readonly listeners: ViewStateListener[] = [];

  constructor(private readonly adapter: HostAdapter) {
    this.current = { ...DEFAULT_VIEW_STATE, ...adapter.getState() };
  }

  get state(): ViewState {
    return this.current;
  }

  update(change: Partial<ViewState>): void {
    const previous = this.current;
    this.current = { ...previous, ...change };
    this.adapter.setState(this.current);
    for (const listener of this.listeners) listener(this.current, previous);
  }

  subscribe(listener: ViewStateListener): void {
    this.listeners.push(listener);
  }
}
