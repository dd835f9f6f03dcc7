/**
 * The fine-tuning steps of Prune Model… and of the report's "Fine-tune…" button: whether to fine-tune (offered first
 * for structured pruning), the training data (files named *train* next to the model first, or any file), its label
 * column and the most epochs. Each resolves to undefined when the user pressed Escape.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { PruneFinetuneParams, PruneMethod } from '../../protocol/prune';
import { DATA_EXTENSIONS, dataFilesNear } from '../shared/data-picker';
import { DEFAULT_FINETUNE_EPOCHS, finetuneSuggested, parseFinetuneEpochs, trainFilesFirst } from './logic/prune-options';
import { pickLabel, pickOne, pickParsed, type Valued } from '../shared/pickers';

/** No fine-tuning: null; fine-tuning: its settings; undefined: dismissed. */
export async function pickFinetuneStep(model: string, method: PruneMethod, evalData: string | undefined, title: string): Promise<PruneFinetuneParams | null | undefined> {
  const no: Valued<boolean> = { label: 'No', description: 'keep the pruned weights as they are', value: false };
  const yes: Valued<boolean> = {
    label: 'Yes — on a training data file…',
    description: 'train the pruned model to mimic this model (knowledge distillation); zero weights stay zero',
    value: true,
  };
  const wanted = await pickOne(finetuneSuggested(method) ? [yes, no] : [no, yes], `${title}: fine-tune`, 'Fine-tune to recover accuracy?');
  if (wanted === undefined) return undefined;
  if (!wanted) return null;
  return pickFinetuneSettings(model, evalData, title);
}

/** The training data, its label column and the most epochs; undefined when dismissed. */
export async function pickFinetuneSettings(model: string, evalData: string | undefined, title: string): Promise<PruneFinetuneParams | undefined> {
  const data = await pickTrainingData(model, evalData, `${title}: training data`);
  if (!data) return undefined;
  const label = await pickLabel(data, `${title}: training label column`, '(no labels — learn from the unpruned model only)');
  if (label === undefined) return undefined;
  const epochs = await pickParsed(`${title}: fine-tuning epochs`, 'Most fine-tuning epochs, 1 to 1000 (early stopping may end sooner; the best epoch is kept)', String(DEFAULT_FINETUNE_EPOCHS), parseFinetuneEpochs);
  if (epochs === undefined) return undefined;
  return { data, ...(label !== undefined ? { label } : {}), epochs };
}

type TrainChoice = { readonly file: string } | { readonly choose: true };

async function pickTrainingData(model: string, evalData: string | undefined, title: string): Promise<string | undefined> {
  const near = trainFilesFirst(await dataFilesNear(model));
  const items: Valued<TrainChoice>[] = near.map((f) => ({
    label: `$(file) ${path.basename(f)}`,
    description: f === evalData ? 'the evaluation data — training on it makes the accuracy after look better than it is' : 'next to the model',
    value: { file: f },
  }));
  items.push({ label: '$(folder-opened) Choose a training data file…', value: { choose: true } });
  const picked = await pickOne(items, title, 'Data to fine-tune on (rows other than the evaluation data)');
  if (picked === undefined) return undefined;
  if ('file' in picked) return picked.file;
  const uris = await vscode.window.showOpenDialog({
    title: `${title}: choose the training data (a file, or a folder of images with one subfolder per class)`,
    defaultUri: vscode.Uri.file(path.dirname(model)),
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Fine-tune on this data',
    filters: { 'Data files': [...DATA_EXTENSIONS], 'All files': ['*'] },
  });
  const uri = uris?.[0];
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only training data on disk can be used for fine-tuning.`);
  return uri.fsPath;
}
