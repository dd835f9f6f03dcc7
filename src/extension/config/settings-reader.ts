/** Reads the `ptp.*` settings (for a model file's workspace folder) from the VS Code configuration. */
import * as vscode from 'vscode';
import type { RuntimeOptions } from '../../protocol/worker';
import { normalizeEvaluationSettings, normalizeSettings, runtimeOptions, type EvaluationSettings, type PtpSettings } from './logic/ptp-settings';

export function readSettings(scope?: vscode.Uri): PtpSettings {
  const config = vscode.workspace.getConfiguration('ptp', scope);
  return normalizeSettings((key) => config.get(key));
}

/** What an operation run reads from the settings: all of them, the runtime options, the evaluation ones. */
export interface OperationSettings {
  readonly ptp: PtpSettings;
  readonly runtime: RuntimeOptions;
  readonly evaluation: EvaluationSettings;
}

export function readOperationSettings(scope?: vscode.Uri): OperationSettings {
  const config = vscode.workspace.getConfiguration('ptp', scope);
  const ptp = normalizeSettings((key) => config.get(key));
  return { ptp, runtime: runtimeOptions(ptp), evaluation: normalizeEvaluationSettings((key) => config.get(key)) };
}
