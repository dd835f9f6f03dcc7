/**
 * The steps of Monitor Model…: the reference data (DataPicker, as Evaluate Model…), the current data (the request
 * log of the server started from VS Code when it logs, a data file next to the model, or Browse… for any data file
 * or .jsonl request log), the chunking (10 chunks, by 500 rows, by hour, by day, custom), and — only when the
 * reference has id-like or text columns — which of them to leave out. Escape in any step cancels.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DATA_EXTENSIONS, dataFilesNear, type DataPicker } from '../shared/data-picker';
import { readDataColumns } from '../shared/logic/data-columns';
import { pickIdAndTextColumns, pickOne, pickParsed, type Valued } from '../shared/pickers';
import { CHUNKING_CHOICES, parseCustomChunking, type Chunking, type MonitorChoices } from './logic/monitor-options';

type CurrentItem = vscode.QuickPickItem & { readonly file?: string; readonly browse?: true };

/** Walks the user through the choices for `model`; undefined when dismissed. */
export async function pickMonitorChoices(model: string, dataPicker: DataPicker, servingLog: () => string | null, title: string): Promise<MonitorChoices | undefined> {
  const step = (n: number) => `${title} (${n}/3)`;
  const reference = await dataPicker.pick(model, step(1), {
    placeHolder: 'Reference data: what the model was trained or validated on (labelled, for estimated performance)',
    openLabel: 'Use as reference',
  });
  if (!reference) return undefined;

  const current = await pickCurrent(model, reference, servingLog(), step(2));
  if (!current) return undefined;

  const chunking = await pickChunking(step(3));
  if (!chunking) return undefined;

  // Only asked when the reference has id-like or text columns (a numeric model cannot take them).
  const columns = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the columns of ${path.basename(reference)}` }, () => readDataColumns(reference));
  const excludeColumns = await pickIdAndTextColumns(columns, title);
  if (excludeColumns === undefined) return undefined;
  return { reference, current, ...chunking, ...(excludeColumns.length ? { excludeColumns } : {}) };
}

async function pickCurrent(model: string, reference: string, log: string | null, title: string): Promise<string | undefined> {
  const items: CurrentItem[] = [];
  if (log && existsSync(log)) items.push({ label: '$(radio-tower) Request log of the running server', description: path.basename(log), detail: log, file: log });
  const near = (await dataFilesNear(model)).filter((f) => path.resolve(f) !== path.resolve(reference));
  if (near.length) items.push({ label: 'next to the model', kind: vscode.QuickPickItemKind.Separator });
  for (const f of near) items.push({ label: `$(file) ${path.basename(f)}`, description: path.dirname(f), file: f });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Browse…', description: 'a data file or a ptp serve request log (.jsonl)', browse: true, alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Current data: a data file, or the request log of ptp serve', matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.file) return picked.file;
  const chosen = await vscode.window.showOpenDialog({
    title: `${title}: choose the current data or a request log`,
    defaultUri: vscode.Uri.file(log ? path.dirname(log) : path.dirname(model)),
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: 'Monitor this data',
    filters: { 'Data files and request logs': [...DATA_EXTENSIONS], 'All files': ['*'] },
  });
  const uri = chosen?.[0];
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only data on disk can be read.`);
  return uri.fsPath;
}

async function pickChunking(title: string): Promise<Chunking | undefined> {
  const items = CHUNKING_CHOICES.map((c): Valued<Chunking | 'custom'> => ({ label: c.label, description: c.description, value: c.value }));
  const picked = await pickOne(items, title, 'How to cut the current data into chunks');
  if (picked !== 'custom') return picked;
  return pickParsed(title, 'Rows per chunk (e.g. 250) or a period (30m, 1h, 1d, 1w)', '500', (text) => {
    const r = parseCustomChunking(text);
    return typeof r === 'string' ? { error: r } : { value: r };
  });
}
