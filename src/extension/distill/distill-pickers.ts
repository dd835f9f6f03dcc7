/**
 * The steps of Distill Model…: training data, its label column (or none: soft targets only), the student (an MLP
 * with typed widths, or a narrower copy of the teacher with a width fraction), epochs, output file. Each step's
 * first item is the usual answer, so Enter through the steps gives a sensible run. Escape cancels.
 */
import type { StudentSpec } from '../../protocol/distill';
import type { DataPicker } from '../evaluation/data-picker';
import { pickLabel, pickOne, pickOutputFile, pickParsed, type Valued } from '../prune/step-pickers';
import { DEFAULT_EPOCHS, defaultStudentOutput, parseEpochs, parseWidthFraction, parseWidths, type DistillChoices } from './distill-options';

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
