/**
 * The steps of Prune Model…: method, sparsity (not for N:M), evaluation data (a data file next to the model, any
 * other file, or no accuracy check), its label column, fine-tuning (finetune-pickers.ts), the output file. Each step's first item is the usual answer,
 * so Enter through the steps gives a sensible run. Escape cancels.
 */
import * as path from 'node:path';
import type { PruneMethod, PruneScope } from '../../protocol/prune';
import { dataFilesNear, type DataPicker } from '../shared/data-picker';
import { pickFinetuneStep } from './finetune-pickers';
import { defaultPrunedOutput, defaultSparsity, parseSparsity, type PruneChoices } from './logic/prune-options';
import { pickOutputFile } from '../shared/output-file-picker';
import { pickLabel, pickOne, pickParsed, type Valued } from '../shared/pickers';

type MethodChoice = { readonly method: PruneMethod; readonly scope?: PruneScope };

const METHOD_ITEMS: readonly Valued<MethodChoice>[] = [
  { label: 'Magnitude, per layer', description: 'zero the smallest weights of each Conv / Gemm / MatMul to the same sparsity', value: { method: 'magnitude', scope: 'layer' } },
  { label: 'Magnitude, global', description: 'one threshold over all weights: layers with small weights lose more', value: { method: 'magnitude', scope: 'global' } },
  { label: 'N:M 2:4 semi-structured', description: 'keep the 2 largest of every 4 weights (sparse tensor cores)', value: { method: 'nm' } },
  { label: 'Structured: remove channels', description: 'drop whole output channels / neurons so the tensors really shrink', value: { method: 'structured' } },
];

type DataChoice = { readonly file: string } | { readonly choose: true } | { readonly skip: true };

export async function pickPruneChoices(model: string, data: DataPicker, title: string): Promise<PruneChoices | undefined> {
  const choice = await pickOne(METHOD_ITEMS, `${title}: method`, 'How to prune');
  if (!choice) return undefined;
  const { method } = choice;

  let sparsity: number | undefined;
  if (method !== 'nm') {
    const what = method === 'structured' ? 'Fraction of the output channels of each layer to remove' : 'Fraction of the weights to set to zero';
    sparsity = await pickParsed(`${title}: sparsity`, `${what}, strictly between 0 and 1 (e.g. ${defaultSparsity(method)} or ${defaultSparsity(method) * 100}%)`, String(defaultSparsity(method)), parseSparsity);
    if (sparsity === undefined) return undefined;
  }

  const evalData = await pickEvaluationData(model, data, `${title}: evaluation data`);
  if (evalData === undefined) return undefined;
  let label: string | null | undefined;
  if (evalData) {
    label = await pickLabel(evalData, `${title}: label column`, '(no labels — agreement only)');
    if (label === undefined) return undefined;
    await data.remember(model, evalData);
  }
  const finetune = await pickFinetuneStep(model, method, evalData || undefined, title);
  if (finetune === undefined) return undefined;
  const output = await pickOutputFile(model, defaultPrunedOutput(model), `${title}: output file`, 'Where to write the pruned model (absolute path)');
  if (!output) return undefined;
  return {
    method,
    ...(choice.scope ? { scope: choice.scope } : {}),
    ...(sparsity !== undefined ? { sparsity } : {}),
    ...(evalData ? { data: evalData, label } : {}),
    ...(finetune ? { finetune } : {}),
    output,
  };
}

/** The data to measure accuracy before/after on; '' = skip; undefined = dismissed. */
export async function pickEvaluationData(model: string, data: DataPicker, title: string): Promise<string | undefined> {
  const last = await data.lastData(model);
  const near = (await dataFilesNear(model)).filter((f) => f !== last);
  const items: Valued<DataChoice>[] = [];
  if (last) items.push({ label: `$(history) ${path.basename(last)}`, description: 'last used with this model', detail: last, value: { file: last } });
  for (const f of near) items.push({ label: `$(file) ${path.basename(f)}`, description: 'next to the model', value: { file: f } });
  items.push({ label: '$(folder-opened) Choose a data file…', value: { choose: true } });
  items.push({ label: '$(close) Skip — no accuracy check', description: 'sparsity, size and latency only', value: { skip: true } });
  const picked = await pickOne(items, title, 'Data to measure the accuracy before and after pruning on');
  if (picked === undefined) return undefined;
  if ('skip' in picked) return '';
  if ('file' in picked) return picked.file;
  return (await data.pick(model, title)) ?? undefined;
}
