/**
 * Which model a command acts on: the Uri it was given (explorer / editor title), else the active
 * overview's or text editor's .onnx file, else one the user picks.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';

export function isOnnxUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.onnx');
}

/** The model of the active editor tab, if it shows one. */
export function activeModelUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && (input.viewType === MODEL_EDITOR_VIEW_TYPE || isOnnxUri(input.uri))) return input.uri;
  if (input instanceof vscode.TabInputText && isOnnxUri(input.uri)) return input.uri;
  const textUri = vscode.window.activeTextEditor?.document.uri;
  return textUri && isOnnxUri(textUri) ? textUri : undefined;
}

/** `arg` may be a Uri, an absolute path (for scripts and tests), or nothing. */
export async function resolveModelUri(arg: unknown, action: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && path.isAbsolute(arg)) return vscode.Uri.file(arg);
  const active = activeModelUri();
  if (active) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { 'ONNX models': ['onnx'] },
    openLabel: action,
    title: `${action}: choose an ONNX model`,
  });
  return picked?.[0];
}
