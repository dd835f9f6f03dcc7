/**
 * The steps of Distill Model…: training data, its label column (or none: soft targets only), the student (an MLP
 * with typed widths, a narrower copy of the teacher with a width fraction, or another ONNX model such as a pruned copy,
 * with whether its zero weights stay zero), epochs, output file. Each step's
 * first item is the usual answer, so Enter through the steps gives a sensible run. Escape cancels.
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StudentSpec } from '../../protocol/distill';
import type { DataPicker } from '../shared/data-picker';
import { pickOutputFile } from '../shared/output-file-picker';
import { pickLabel, pickOne, pickParsed, type Valued } from '../shared/pickers';
import { defaultPrunedOutput } from '../prune/logic/prune-options';
import { DEFAULT_EPOCHS, defaultStudentOutput, keepZerosSuggested, parseEpochs, parseWidthFraction, parseWidths, type DistillChoices } from './logic/distill-options';

export async function pickDistillChoices(model: string, data: DataPicker, title: string): Promise<DistillChoices | undefined> {
  const file = await data.pick(model, `${title}: training data`);
  if (!file) return undefined;
  const label = await pickLabel(file, `${title}: label column`, '(no labels — learn from the teacher only)');
  if (label === undefined) return undefined;
  await data.remember(model, file);

  const kind = await pickOne<StudentSpec['kind']>(
    [
      { label: 'MLP', description: 'a multilayer perceptron on the flattened input, hidden widths of your choice', value: 'mlp' },
      { label: 'Narrower copy of this model', description: 'same layers with a fraction of the channels, started from the strongest ones', value: 'narrow' },
      { label: 'Another ONNX model (e.g. a pruned copy)…', description: 'trained from its own weights; same inputs and outputs as this model', value: 'model' },
    ] satisfies Valued<StudentSpec['kind']>[],
    `${title}: student`,
    'The smaller model to train',
  );
  if (!kind) return undefined;
  let student: StudentSpec | undefined;
  if (kind === 'mlp') {
    const hidden = await pickParsed(`${title}: student hidden widths`, 'Hidden layer widths, comma-separated, e.g. 64,32 (input and output sizes come from the teacher)', '32', parseWidths);
    if (!hidden) return undefined;
    student = { kind: 'mlp', hidden };
  } else if (kind === 'model') {
    const picked = await pickStudentModel(model, title);
    if (!picked) return undefined;
    student = picked;
  } else {
    const width = await pickParsed(`${title}: student width`, 'Fraction of the channels each layer keeps, strictly between 0 and 1 (e.g. 0.5)', '0.5', parseWidthFraction);
    if (width === undefined) return undefined;
    student = { kind: 'narrow', width };
  }
  const epochs = await pickParsed(`${title}: epochs`, 'Most training epochs (early stopping may end sooner)', String(DEFAULT_EPOCHS), parseEpochs);
  if (epochs === undefined) return undefined;
  const output = await pickOutputFile(model, defaultStudentOutput(model), `${title}: output file`, 'Where to write the student model (absolute path)');
  if (!output) return undefined;
  return { data: file, label, student, epochs, output };
}

/** The student file (`<model>.pruned.onnx` suggested when it exists), then whether its zero weights stay zero. */
async function pickStudentModel(model: string, title: string): Promise<StudentSpec | undefined> {
  const pruned = defaultPrunedOutput(model);
  let file: string | undefined;
  if (await isFile(pruned)) {
    file = await pickOne<string | null>(
      [
        { label: `$(file) ${path.basename(pruned)}`, description: 'the pruned copy next to this model', value: pruned },
        { label: '$(folder-opened) Choose an ONNX model…', value: null },
      ],
      `${title}: student model`,
      'The ONNX model to train (same inputs and outputs as the teacher)',
    ).then((v) => (v === null ? chooseOnnx(model, title) : v));
  } else {
    file = await chooseOnnx(model, title);
  }
  if (!file) return undefined;
  if (path.resolve(file) === path.resolve(model)) throw new Error(`${path.basename(file)} is the teacher itself: choose another model (e.g. a pruned copy) as the student.`);
  const yes: Valued<boolean> = { label: 'Yes', description: 'weights that are exactly 0 stay 0 while training (keeps pruning sparsity)', value: true };
  const no: Valued<boolean> = { label: 'No', description: 'every weight may change', value: false };
  const keepZeros = await pickOne(keepZerosSuggested(file) ? [yes, no] : [no, yes], `${title}: keep zero weights`, 'Keep zero weights at zero?');
  if (keepZeros === undefined) return undefined;
  return { kind: 'model', path: file, keepZeros };
}

async function chooseOnnx(model: string, title: string): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({
    title: `${title}: choose the student model`,
    defaultUri: vscode.Uri.file(path.dirname(model)),
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: 'Train this model',
    filters: { 'ONNX models': ['onnx'], 'All files': ['*'] },
  });
  const uri = uris?.[0];
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`${uri.toString(true)}: only a model on disk can be trained as the student.`);
  return uri.fsPath;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
