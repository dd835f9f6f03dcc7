/**
 * Choosing the data an operation reads (evaluation, batch inference): the file used last time with this model (remembered in workspaceState), data
 * files next to the model, or any file/folder from the open dialog (which starts in the model's folder).
 * Everything is typeable: the quick pick filters by name, and the open dialog (code-server's simple dialog
 * too) accepts a typed path.
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const DATA_EXTENSIONS = ['csv', 'tsv', 'npy', 'npz', 'jsonl', 'parquet'] as const;
const LAST_DATA_KEY = 'ptp.evaluation.lastData';
const MAX_SIBLINGS = 20;

type DataItem = vscode.QuickPickItem & { readonly file?: string; readonly choose?: true };

/** What the data is for, in the pickers' words (default: evaluation). */
export interface DataPurpose {
  /** The quick pick's placeholder. */
  readonly placeHolder: string;
  /** The open dialog's button. */
  readonly openLabel: string;
}

const EVALUATE_PURPOSE: DataPurpose = {
  placeHolder: 'Data to evaluate on (CSV, TSV, NPY, NPZ, JSON Lines, Parquet, or an image folder)',
  openLabel: 'Evaluate on this data',
};

export class DataPicker {
  constructor(private readonly state: vscode.Memento) {}

  /** The data file last used with `model`, if it still exists. */
  async lastData(model: string): Promise<string | undefined> {
    const file = this.state.get<Record<string, string>>(LAST_DATA_KEY, {})[model];
    return file && (await exists(file)) ? file : undefined;
  }

  async remember(model: string, data: string): Promise<void> {
    const all = { ...this.state.get<Record<string, string>>(LAST_DATA_KEY, {}), [model]: data };
    await this.state.update(LAST_DATA_KEY, all);
  }

  /** Asks for the data of `model`; undefined when the user dismissed the pickers. */
  async pick(model: string, title: string, purpose: DataPurpose = EVALUATE_PURPOSE): Promise<string | undefined> {
    const last = await this.lastData(model);
    const siblings = (await dataFilesNear(model)).filter((f) => f !== last);
    if (!last && siblings.length === 0) return this.chooseFile(model, title, purpose);
    const items: DataItem[] = [];
    if (last) items.push({ label: `$(history) Use ${path.basename(last)} again`, description: 'last used with this model', detail: last, file: last });
    if (siblings.length) items.push({ label: 'next to the model', kind: vscode.QuickPickItemKind.Separator });
    for (const f of siblings) items.push({ label: `$(file) ${path.basename(f)}`, description: path.dirname(f), file: f });
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(folder-opened) Choose a data file or image folder…', choose: true, alwaysShow: true });
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: purpose.placeHolder,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    return picked.file ?? this.chooseFile(model, title, purpose);
  }

  private async chooseFile(model: string, title: string, purpose: DataPurpose): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: `${title}: choose the data (a file, or a folder of images with one subfolder per class)`,
      defaultUri: vscode.Uri.file(path.dirname(model)),
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: purpose.openLabel,
      filters: { 'Data files': [...DATA_EXTENSIONS], 'All files': ['*'] },
    });
    const uri = picked?.[0];
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only data on disk can be read.`);
    return uri.fsPath;
  }
}

/** Data files in the model's folder, the ones sharing the model's name prefix first (digits_mlp → digits_test.csv). */
export async function dataFilesNear(model: string): Promise<string[]> {
  const dir = path.dirname(model);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const stem = path.basename(model, path.extname(model)).toLowerCase().split(/[_.\s-]/)[0] ?? '';
  const exts = new Set<string>(DATA_EXTENSIONS);
  return names
    .filter((n) => exts.has(path.extname(n).slice(1).toLowerCase()))
    .sort((a, b) => Number(b.toLowerCase().startsWith(stem)) - Number(a.toLowerCase().startsWith(stem)) || a.localeCompare(b))
    .slice(0, MAX_SIBLINGS)
    .map((n) => path.join(dir, n));
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
