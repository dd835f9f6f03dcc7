/** "Copy JSON" and "Save JSON…" of the pruning and distillation reports. */
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeUriAtomic } from '../webview/write-atomic';

export interface JsonExportOutcome {
  readonly done: boolean;
  readonly file?: string;
}

function jsonText(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Puts `result` on the clipboard as JSON. */
export async function copyJson(result: unknown): Promise<JsonExportOutcome> {
  await vscode.env.clipboard.writeText(jsonText(result));
  return { done: true };
}

/** Saves `result` as `<model>.<kind>.json` (the dialog's suggestion); `done: false` when the user cancelled. */
export async function saveJsonFile(model: string, kind: string, result: unknown): Promise<JsonExportOutcome> {
  const target = await vscode.window.showSaveDialog({
    title: 'Save the report as JSON',
    defaultUri: vscode.Uri.file(path.join(path.dirname(model), `${path.basename(model, '.onnx')}.${kind}.json`)),
    filters: { JSON: ['json'] },
    saveLabel: 'Save JSON',
  });
  if (!target) return { done: false };
  if (target.scheme === 'file') await writeFile(target.fsPath, jsonText(result));
  else await writeUriAtomic(target, jsonText(result));
  return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
}
