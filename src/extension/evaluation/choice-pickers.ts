/**
 * The steps of Evaluate Model… / Compare Models on Data… after the data: label column, task, columns to leave
 * out (only when some look like ids), sensitive attributes and extras. Each step is a quick pick whose first
 * item is the usual answer, so Enter through the steps gives the automatic evaluation. Escape cancels.
 */
import * as vscode from 'vscode';
import { pickLabel, pickOne, type Valued } from '../shared/pickers';
import * as path from 'node:path';
import type { EvaluationTask } from '../../protocol/evaluate';
import { describeValues, groupColumns, idLikeColumns, readDataColumns, type DataColumns } from '../shared/logic/data-columns';
import type { DataPicker } from '../shared/data-picker';
import type { EvaluateChoices } from './logic/evaluation-options';

export interface ChoiceOptions {
  /** Compare Models on Data… asks only for data, label and task. */
  readonly compare?: boolean;
}


const NO_LABEL = '(no labels — predictions only)';

/** Walks the user through the choices for `model`; undefined when dismissed. Throws when the data cannot be read. */
export async function pickEvaluateChoices(model: string, data: DataPicker, title: string, options: ChoiceOptions = {}): Promise<EvaluateChoices | undefined> {
  const total = options.compare ? 3 : 5;
  const step = (n: number) => `${title} (${n}/${total})`;
  const file = await data.pick(model, step(1));
  if (!file) return undefined;
  const columns = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading the columns of ${path.basename(file)}` },
    () => readDataColumns(file),
  );

  const label = await pickLabel(columns, step(2), NO_LABEL, 'no metrics, only predictions and latency');
  if (label === undefined) return undefined;
  const task = await pickOne<EvaluationTask | 'auto'>(
    [
      { label: 'Auto', description: 'from the model outputs and the labels', value: 'auto' },
      { label: 'Classification', value: 'classification' },
      { label: 'Regression', value: 'regression' },
    ],
    step(3),
    'Task',
  );
  if (task === undefined) return undefined;
  if (options.compare) return { data: file, label, task };

  const exclude = await pickExcluded(columns, label, title);
  if (exclude === undefined) return undefined;
  const sensitive = task === 'regression' || label === null ? [] : await pickSensitive(columns, label, exclude, step(4));
  if (sensitive === undefined) return undefined;
  const extras = await pickExtras(label !== null, step(5));
  if (extras === undefined) return undefined;
  return {
    data: file,
    label,
    task,
    ...(sensitive.length ? { sensitive } : {}),
    ...(exclude.length ? { excludeColumns: exclude } : {}),
    robustness: extras.has('robustness'),
    ...(extras.has('predictions') ? { outputsFile: predictionsFile(model) } : {}),
  };
}

/** Shown only when some column looks like an id the pipeline would feed (e.g. `applicant_id`); those are pre-checked. */
async function pickExcluded(columns: DataColumns, label: string | null, title: string): Promise<string[] | undefined> {
  const ids = idLikeColumns(columns, label);
  if (ids.length === 0) return [];
  const items: Valued<string>[] = ids.map((c) => ({ label: c.name, description: describeValues(c), picked: true, value: c.name }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${title}: columns not fed to the model`,
    placeHolder: 'These columns look like ids: leave the checked ones out of the features',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return picked?.map((i) => i.value);
}

async function pickSensitive(columns: DataColumns, label: string, exclude: readonly string[], title: string): Promise<string[] | undefined> {
  const candidates = groupColumns(columns, label).filter((c) => !exclude.includes(c.name));
  if (candidates.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    candidates.map((c): Valued<string> => ({ label: c.name, description: describeValues(c), value: c.name })),
    {
      title,
      placeHolder: 'Sensitive attributes for the fairness report (optional: press Enter for none)',
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  return picked?.map((i) => i.value);
}

type Extra = 'robustness' | 'predictions';

async function pickExtras(hasLabels: boolean, title: string): Promise<Set<Extra> | undefined> {
  const items: Valued<Extra>[] = [];
  if (hasLabels) {
    items.push({
      label: 'Robustness tests',
      description: 'Gaussian noise, feature dropout and per-feature corruption (slower)',
      value: 'robustness',
    });
  }
  items.push({ label: 'Save per-row predictions (CSV)', description: 'to .ptp/runs next to the model', value: 'predictions' });
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Extras (optional: press Enter for none)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return picked ? new Set(picked.map((i) => i.value)) : undefined;
}


function predictionsFile(model: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(path.dirname(model), '.ptp', 'runs', `${path.basename(model, '.onnx')}.predictions.${stamp}.csv`);
}
