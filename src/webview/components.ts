// The only module that knows the component library: swapping @vscode/webview-ui-toolkit for
// another one changes this file and the tag names below, nothing else.

import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';

export const TAG = {
  button: 'vscode-button',
  checkbox: 'vscode-checkbox',
  divider: 'vscode-divider',
  tag: 'vscode-tag',
} as const;

export function registerComponents(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeTag());
}

export function button(label: string, title: string, onClick: () => void): HTMLElement {
  const element = document.createElement(TAG.button);
  element.textContent = label;
  element.title = title;
  element.setAttribute('aria-label', title);
  element.setAttribute('appearance', 'secondary');
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement & { checked: boolean } {
  const element = document.createElement(TAG.checkbox) as HTMLElement & { checked: boolean };
  element.textContent = label;
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

export function divider(): HTMLElement {
  return document.createElement(TAG.divider);
}

export function tag(text: string): HTMLElement {
  const element = document.createElement(TAG.tag);
  element.textContent = text;
  return element;
}
