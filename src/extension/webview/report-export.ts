/**
 * The exports every report panel offers — Copy JSON, Save JSON…, and files of its own (CSV, a plot) — written
 * once: the save dialog proposes `<model>.<suffix>.<ext>` beside the model, the file is written atomically (temp
 * file + rename, also for non-file URIs), and the webview learns where (or that the user dismissed the dialog).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ExportOutcome } from '../../protocol/webview';
import { writeUriAtomic } from './write-atomic';

/** A report's result as the JSON the CLI prints with --json (two-space indent, final newline). */
export function reportJson(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** `<dir of model>/<model stem>.<suffix>.<ext>`: what the save dialog proposes. */
export function reportFilePath(model: string, suffix: string, ext: string): string {
  return path.join(path.dirname(path.resolve(model)), `${path.basename(model, '.onnx')}.${suffix}.${ext}`);
}

/** Puts `result` on the clipboard as JSON. */
export async function copyJson(result: unknown): Promise<ExportOutcome> {
  await vscode.env.clipboard.writeText(reportJson(result));
  return { done: true };
}

export interface SaveRequest {
  /** The dialog's title, e.g. "Save the report as JSON". */
  readonly title: string;
  /** The proposed file (see reportFilePath). */
  readonly defaultPath: string;
  /** The file filter's name, e.g. "JSON"; its extension is the default path's. */
  readonly filterName: string;
  readonly content: string | Uint8Array;
}

/** Asks where to save `content` and writes it there atomically; `done: false` when the user dismissed the dialog. */
export async function saveReportFile({ title, defaultPath, filterName, content }: SaveRequest): Promise<ExportOutcome> {
  const ext = path.extname(defaultPath).slice(1);
  const target = await vscode.window.showSaveDialog({
    title,
    defaultUri: vscode.Uri.file(defaultPath),
    filters: { [filterName]: [ext] },
    saveLabel: `Save ${filterName}`,
  });
  if (!target) return { done: false };
  await writeUriAtomic(target, content);
  return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
}

/** Save JSON…: `result` as `<model>.<kind>.json` unless the user picks another file. */
export function saveJsonFile(model: string, kind: string, result: unknown, title = 'Save the report as JSON'): Promise<ExportOutcome> {
  return saveReportFile({ title, defaultPath: reportFilePath(model, kind, 'json'), filterName: 'JSON', content: reportJson(result) });
}
