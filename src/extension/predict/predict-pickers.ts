/**
 * The steps of Predict on Data…: the data (DataPicker, as Evaluate Model…), where to write the predictions (a save
 * dialog next to the data, `<data stem>.predictions.csv`), and the id column (the row index unless a column is
 * picked). Escape in any step cancels.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { PREDICT_FORMATS } from '../../protocol/predict';
import type { DataPicker } from '../shared/data-picker';
import { describeValues, readDataColumns } from '../shared/logic/data-columns';
import { pickOne, type Valued } from '../shared/pickers';
import { outputFormat, suggestedOutput, type PredictChoices } from './logic/predict-options';

const FILTERS: Record<string, string[]> = {
  CSV: ['csv'],
  Parquet: ['parquet'],
  'JSON Lines': ['jsonl'],
  'NumPy (score matrix, no ids)': ['npy'],
};

/** Walks the user through the choices for `model`; undefined when dismissed. Throws when the data cannot be read. */
export async function pickPredictChoices(model: string, dataPicker: DataPicker, title: string): Promise<PredictChoices | undefined> {
  const step = (n: number) => `${title} (${n}/3)`;
  const data = await dataPicker.pick(model, step(1), {
    placeHolder: 'Data to predict on (CSV, TSV, NPY, NPZ, JSON Lines, Parquet, or an image folder)',
    openLabel: 'Predict on this data',
  });
  if (!data) return undefined;

  const saved = await vscode.window.showSaveDialog({
    title: `${step(2)}: where to write the predictions`,
    defaultUri: vscode.Uri.file(suggestedOutput(data)),
    filters: FILTERS,
    saveLabel: 'Write predictions',
  });
  if (!saved) return undefined;
  if (saved.scheme !== 'file') throw new Error(`${saved.toString(true)}: predictions can only be written to disk.`);
  const output = saved.fsPath;
  if (!outputFormat(output)) throw new Error(`${path.basename(output)}: predictions are written as ${PREDICT_FORMATS.map((f) => `.${f}`).join(', ')} files.`);
  if (path.resolve(output) === path.resolve(data)) throw new Error(`${path.basename(output)}: the predictions cannot overwrite the data.`);

  const columns = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the columns of ${path.basename(data)}` }, () => readDataColumns(data));
  const candidates = columns.columns.filter((c) => c.kind !== 'tensor' && c.name !== columns.detectedLabel);
  let idColumn: string | null = null;
  if (candidates.length > 0 && outputFormat(output) !== 'npy') {
    const items: Valued<string | null>[] = [
      { label: 'row index (default)', description: 'the 0-based row number', value: null },
      ...candidates.map((c): Valued<string | null> => ({ label: c.name, description: describeValues(c), value: c.name })),
    ];
    const picked = await pickOne(items, step(3), 'The id of each prediction row (the column is never fed to the model)');
    if (picked === undefined) return undefined;
    idColumn = picked;
  }
  return { data, output, ...(idColumn !== null ? { idColumn } : {}) };
}
