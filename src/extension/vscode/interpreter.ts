// Which Python a run uses: the interpreter selected in the Python extension when it is
// installed, otherwise the `parallelLab.pythonPath` setting, otherwise python3 / python on
// PATH. The engine then checks that it starts and is recent enough.

import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';

const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The interpreter to ask the engine for, or undefined to let it search PATH. */
export async function configuredPython(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const fromPythonExtension = await pythonExtensionInterpreter(resource);
  if (fromPythonExtension) return fromPythonExtension;
  const setting = vscode.workspace.getConfiguration('parallelLab', resource).get<string>('pythonPath', '').trim();
  return setting || undefined;
}

async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath;
  } catch {
    return undefined; // the Python extension failed to activate: fall back to the setting
  }
}

/** "Parallel Lab: Select Python Interpreter": the Python extension's picker, or a file dialog into the setting. */
export async function selectInterpreter(): Promise<void> {
  if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
    await vscode.commands.executeCommand('python.setInterpreter');
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use this Python'),
    title: vscode.l10n.t('Select a Python 3.8+ interpreter for Parallel Lab'),
  });
  if (picked?.[0]) {
    await vscode.workspace.getConfiguration('parallelLab').update('pythonPath', picked[0].fsPath, vscode.ConfigurationTarget.Global);
  }
}
