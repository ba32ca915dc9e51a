// The profiler panel's entry point. The same bundle renders inside a VS Code webview and in
// the standalone HTML report; the adapter is the only part that differs.

import { createAdapter } from './adapter';
import { App } from './app';
import { registerComponents } from './components';
import './styles.css';

declare global {
  interface Window {
    /** Read-only hooks for the tests and the benchmark: where things are drawn, how often. */
    parallelLab?: App;
  }
}

registerComponents();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('main'));
root.id = 'root';
window.parallelLab = new App(root, createAdapter());
