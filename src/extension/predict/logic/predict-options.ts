/**
 * What Predict on Data… sends to the worker op `predict`: the choices made in the pickers (or passed by a script
 * as an arguments object) and the runtime settings, turned into PredictParams; and the suggested output file.
 * No vscode: unit tested on plain Node.
 */
import * as path from 'node:path';
import { PREDICT_FORMATS, type PredictFormat, type PredictParams } from '../../../protocol/predict';
import type { RuntimeOptions } from '../../../protocol/worker';
import { CommandArgumentsError } from '../../shared/logic/command-args';

/** The choices of Predict on Data… (pickers or arguments object). */
export interface PredictChoices {
  /** Absolute path of the data file or image folder. */
  readonly data: string;
  /** Absolute path of the predictions file (.csv, .parquet, .jsonl, .npy). */
  readonly output: string;
  /** The column whose value is each row's id; undefined: the 0-based row index. */
  readonly idColumn?: string;
  /** DataSelection's label: undefined = auto-detect (and set aside), null = no label column, else its name. */
  readonly label?: string | null;
  readonly task?: 'classification' | 'regression' | 'auto';
  readonly batchSize?: number;
  readonly maxRows?: number;
}

export function predictParams(model: string, c: PredictChoices, runtime: RuntimeOptions): PredictParams {
  return {
    model,
    data: c.data,
    output: c.output,
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.idColumn !== undefined ? { idColumn: c.idColumn } : {}),
    ...(c.task && c.task !== 'auto' ? { task: c.task } : {}),
    ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
    ...(c.maxRows !== undefined ? { maxRows: c.maxRows } : {}),
    ...runtime,
  };
}

/** `<data stem>.predictions.csv` next to the data (an image folder: next to the folder). */
export function suggestedOutput(data: string): string {
  const base = path.basename(data);
  const ext = path.extname(base);
  return path.join(path.dirname(data), `${ext ? base.slice(0, -ext.length) : base}.predictions.csv`);
}

/** The format a predictions file is written in, from its extension; undefined when ptp predict writes no such file. */
export function outputFormat(file: string): PredictFormat | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  return (PREDICT_FORMATS as readonly string[]).includes(ext) ? (ext as PredictFormat) : undefined;
}

/**
 * `{ data, output, idColumn?, label?, task?, batchSize?, maxRows? }` → PredictChoices; `data` and `output` must be
 * absolute paths (`isAbsolute` decides for the host's platform), `output` a .csv/.parquet/.jsonl/.npy file other
 * than the data.
 */
export function parsePredictArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): PredictChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const data = x.data;
  if (typeof data !== 'string' || !isAbsolute(data)) fail(`"data" must be the absolute path of a data file or image folder, got ${JSON.stringify(data)}`);
  const output = x.output;
  if (typeof output !== 'string' || !isAbsolute(output)) fail(`"output" must be the absolute path of the predictions file, got ${JSON.stringify(output)}`);
  if (!outputFormat(output as string)) fail(`"output" must end in ${PREDICT_FORMATS.map((f) => `.${f}`).join(', ')}, got ${JSON.stringify(output)}`);
  if (path.resolve(output as string) === path.resolve(data as string)) fail(`"output" cannot be the data file`);
  const idColumn = x.idColumn;
  if (idColumn !== undefined && (typeof idColumn !== 'string' || idColumn === '')) fail(`"idColumn" must be a column name, got ${JSON.stringify(idColumn)}`);
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null, got ${JSON.stringify(label)}`);
  if (idColumn !== undefined && idColumn === label) fail(`column "${idColumn as string}" cannot be both "idColumn" and "label"`);
  const task = x.task;
  if (task !== undefined && task !== 'auto' && task !== 'classification' && task !== 'regression') {
    fail(`"task" must be "auto", "classification" or "regression", got ${JSON.stringify(task)}`);
  }
  const int = (key: string): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`"${key}" must be an integer ≥ 1, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const batchSize = int('batchSize');
  const maxRows = int('maxRows');
  return {
    data: data as string,
    output: output as string,
    ...(idColumn !== undefined ? { idColumn: idColumn as string } : {}),
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(task !== undefined ? { task: task as PredictChoices['task'] } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(maxRows !== undefined ? { maxRows } : {}),
  };
}
