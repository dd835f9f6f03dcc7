/** Reads the `ptp.*` settings (for a model file's workspace folder) from the VS Code configuration. */
import * as vscode from 'vscode';
import { normalizeSettings, type PtpSettings } from './logic/ptp-settings';

export function readSettings(scope?: vscode.Uri): PtpSettings {
  const config = vscode.workspace.getConfiguration('ptp', scope);
  return normalizeSettings((key) => config.get(key));
}
