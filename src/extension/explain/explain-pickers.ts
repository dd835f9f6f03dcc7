/**
 * The steps of Explain Predictions…: data (remembered per model), rows, columns to leave out (only when some look
 * like ids or hold text), background, output and method. The first item of each step is the usual answer, so
 * Enter through the steps explains the first rows automatically. Escape cancels.
 */
import * as vscode from 'vscode';
import { pickIdAndTextColumns, pickOne, type Valued } from '../shared/pickers';
import * as path from 'node:path';
import type { ExplainBackground, ExplainMethod } from '../../protocol/explain';
import { EXACT_MAX_FEATURES } from '../../pipeline/explain/exact';
import { readDataColumns, type DataColumns } from '../shared/logic/data-columns';
import { DATA_EXTENSIONS, type DataPicker } from '../shared/data-picker';
import {
  DEFAULT_BACKGROUND_SAMPLE,
  DEFAULT_EXPLAIN_ROWS,
  DEFAULT_KMEANS,
  defaultNsamples,
  MAX_EXPLAIN_ROWS,
  parseRowList,
  type ExplainChoices,
} from './logic/explain-options';


const TOTAL = 5;

/** Walks the user through the choices for `model`; undefined when dismissed. Throws when the data cannot be read. */
export async function pickExplainChoices(model: string, data: DataPicker, title: string): Promise<ExplainChoices | undefined> {
  const step = (n: number) => `${title} (${n}/${TOTAL})`;
  const file = await data.pick(model, step(1));
  if (!file) return undefined;
  const columns = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading the columns of ${path.basename(file)}` },
    () => readDataColumns(file),
  );
  const rows = await pickRows(step(2));
  if (rows === undefined) return undefined;
  const exclude = await pickIdAndTextColumns(columns, title);
  if (exclude === undefined) return undefined;
  const background = await pickBackground(file, step(3));
  if (background === undefined) return undefined;
  const output = await pickOutput(step(4));
  if (output === undefined) return undefined;
  const features = featureCount(columns, exclude);
  const method = await pickMethod(columns, features, step(5));
  if (method === undefined) return undefined;
  return {
    data: file,
    ...rows,
    background,
    ...(exclude.length ? { excludeColumns: exclude } : {}),
    ...(output !== 'all' ? { output } : {}),
    ...(method !== 'auto' ? { method } : {}),
  };
}

async function pickRows(title: string): Promise<{ rows?: number[]; maxRows?: number } | undefined> {
  const choice = await pickOne<'first' | 'firstN' | 'list'>(
    [
      { label: `First ${DEFAULT_EXPLAIN_ROWS} rows`, value: 'first' },
      { label: 'First N rows…', description: 'more rows make the beeswarm and the mean |φ| bars more telling', value: 'firstN' },
      { label: 'Rows…', description: 'a list of 0-based data rows, e.g. 0, 5, 10-12', value: 'list' },
    ],
    title,
    'Rows to explain',
  );
  if (choice === undefined) return undefined;
  if (choice === 'first') return { maxRows: DEFAULT_EXPLAIN_ROWS };
  if (choice === 'firstN') {
    const n = await askInteger(title, 'How many rows, from the top of the data', DEFAULT_EXPLAIN_ROWS, 1, MAX_EXPLAIN_ROWS);
    return n === undefined ? undefined : { maxRows: n };
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: '0-based data rows to explain, separated by commas; ranges like 10-12',
    value: '0',
    ignoreFocusOut: true,
    validateInput: (t) => {
      try {
        parseRowList(t);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return text === undefined ? undefined : { rows: parseRowList(text) };
}

async function pickBackground(file: string, title: string): Promise<ExplainBackground | undefined> {
  const name = path.basename(file);
  const choice = await pickOne<'sample' | 'sampleN' | 'kmeans' | 'file'>(
    [
      { label: `Sample of ${name}`, description: `${DEFAULT_BACKGROUND_SAMPLE} rows drawn at random (seeded)`, value: 'sample' },
      { label: 'Sample of a chosen size…', description: `rows of ${name}`, value: 'sampleN' },
      { label: 'k-means summary…', description: `k weighted centroids of ${name} (as shap.kmeans)`, value: 'kmeans' },
      { label: 'Another file…', description: 'every row of a reference data set', value: 'file' },
    ],
    title,
    'Background: the rows that stand in for "feature unknown"',
  );
  if (choice === undefined) return undefined;
  if (choice === 'sample') return { sample: DEFAULT_BACKGROUND_SAMPLE };
  if (choice === 'sampleN') {
    const n = await askInteger(title, 'Background rows to sample', DEFAULT_BACKGROUND_SAMPLE, 1, 100_000);
    return n === undefined ? undefined : { sample: n };
  }
  if (choice === 'kmeans') {
    const k = await askInteger(title, 'Number of k-means centroids (k)', DEFAULT_KMEANS, 1, 10_000);
    return k === undefined ? undefined : { kmeans: k };
  }
  const picked = await vscode.window.showOpenDialog({
    title: `${title}: choose the background data`,
    defaultUri: vscode.Uri.file(path.dirname(file)),
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Use as background',
    filters: { 'Data files': [...DATA_EXTENSIONS], 'All files': ['*'] },
  });
  const uri = picked?.[0];
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only data on disk can be used as background.`);
  return uri.fsPath;
}

async function pickOutput(title: string): Promise<number | string | 'all' | undefined> {
  const choice = await pickOne<'all' | 'one'>(
    [
      { label: 'All outputs', description: 'every class probability, or the regression value (no extra cost)', value: 'all' },
      { label: 'One class…', description: 'a class index or name', value: 'one' },
    ],
    title,
    'Output to explain',
  );
  if (choice !== 'one') return choice;
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Class index (0-based) or class name',
    ignoreFocusOut: true,
    validateInput: (t) => (t.trim() ? undefined : 'Give a class index or name'),
  });
  if (text === undefined) return undefined;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim();
}

async function pickMethod(columns: DataColumns, features: number | undefined, title: string): Promise<ExplainMethod | 'auto' | undefined> {
  const images = columns.format === 'images' || columns.columns.some((c) => c.kind === 'tensor');
  const auto = images ? 'occlusion for image inputs, else' : '';
  const items: Valued<ExplainMethod | 'auto'>[] = [
    {
      label: 'Auto',
      description: `${auto} exact for ≤ ${EXACT_MAX_FEATURES} features, else Kernel SHAP${features !== undefined ? ` (${features} features here)` : ''}`.trim(),
      value: 'auto',
    },
  ];
  if (features !== undefined && features <= EXACT_MAX_FEATURES) {
    items.push({ label: 'Exact Shapley values', description: `all 2^${features} = ${2 ** features} coalitions`, value: 'exact' });
  }
  items.push(
    { label: 'Kernel SHAP', description: `nsamples = ${features !== undefined ? defaultNsamples(features) : '2·M + 2048'} (2·M + 2048)`, value: 'kernel' },
    { label: 'Permutation SHAP', description: 'max_evals = 500', value: 'permutation' },
  );
  if (images) items.push({ label: 'Occlusion', description: 'image patches, max_evals = 500', value: 'occlusion' });
  return pickOne(items, title, 'Method');
}

/** Scalar feature columns left after the label and the exclusions; undefined when tensors/images make it unknown here. */
function featureCount(columns: DataColumns, exclude: readonly string[]): number | undefined {
  if (columns.format === 'images' || columns.columns.some((c) => c.kind === 'tensor')) return undefined;
  return columns.columns.filter((c) => c.name !== columns.detectedLabel && !exclude.includes(c.name)).length;
}

async function askInteger(title: string, prompt: string, value: number, min: number, max: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) >= min && Number(t) <= max ? undefined : `A whole number from ${min} to ${max}`),
  });
  return text === undefined ? undefined : Number(text.trim());
}

