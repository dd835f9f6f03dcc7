/**
 * What Distill Model… sends to the worker: the choices made in the pickers (or passed by a script as an arguments
 * object) plus the runtime settings, turned into DistillParams; the default output file; the checks of the typed
 * student widths, width fraction and epochs. No vscode: unit tested on plain Node.
 */
import type { DistillParams, StudentSpec } from '../../../protocol/distill';
import type { RuntimeOptions } from '../../../protocol/worker';
import { defaultOutputPath } from '../../../pipeline/shared/output-name';
import { CommandArgumentsError } from '../../shared/logic/command-args';

export const DEFAULT_EPOCHS = 200;
const MAX_EPOCHS = 100_000;
const MAX_HIDDEN_LAYERS = 16;
const MAX_WIDTH = 65_536;

/** The choices of Distill Model… (pickers or arguments object). */
export interface DistillChoices {
  /** Training data (absolute path). */
  readonly data: string;
  /** undefined: auto-detect; null: no labels (soft targets only). */
  readonly label?: string | null;
  /** undefined: the op's default student. */
  readonly student?: StudentSpec;
  readonly epochs?: number;
  readonly temperature?: number;
  readonly alpha?: number;
  readonly seed?: number;
  readonly patience?: number;
  readonly output?: string;
}

type Parsed<T> = { value: T } | { error: string };

/** `<teacher>.student.onnx` next to the teacher (digits_mlp.onnx → digits_mlp.student.onnx), as `ptp distill` writes. */
export function defaultStudentOutput(model: string): string {
  return defaultOutputPath('distill', model);
}

/** Hidden widths typed as "64,32" (commas or spaces): positive integers, at least one layer. */
export function parseWidths(text: string): Parsed<number[]> {
  const t = text.trim();
  if (!t) return { error: 'Enter the hidden layer widths, e.g. 64,32' };
  const parts = t.split(/[\s,;]+/).filter((p) => p.length > 0);
  const widths: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return { error: `"${p}" is not a whole number: enter widths like 64,32` };
    const w = Number(p);
    if (w < 1) return { error: 'Every width must be at least 1' };
    if (w > MAX_WIDTH) return { error: `${p} is wider than ${MAX_WIDTH}` };
    widths.push(w);
  }
  if (widths.length > MAX_HIDDEN_LAYERS) return { error: `At most ${MAX_HIDDEN_LAYERS} hidden layers` };
  return { value: widths };
}

/** The width fraction of a narrower copy: strictly inside (0, 1) ("0.5") or a percentage ("50%"). */
export function parseWidthFraction(text: string): Parsed<number> {
  const t = text.trim();
  const percent = t.endsWith('%');
  const body = percent ? t.slice(0, -1).trim() : t;
  if (!/^(\d+\.?\d*|\.\d+)$/.test(body)) return { error: `Enter the fraction of channels each layer keeps, e.g. 0.5 (or 50%)` };
  const value = Number(body) / (percent ? 100 : 1);
  if (!(value > 0 && value < 1)) return { error: `The width fraction must be strictly between 0 and 1, got ${t}` };
  return { value };
}

export function parseEpochs(text: string): Parsed<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: 'Enter a whole number of epochs, e.g. 200' };
  const value = Number(t);
  if (value < 1 || value > MAX_EPOCHS) return { error: `The number of epochs must be between 1 and ${MAX_EPOCHS}` };
  return { value };
}

/** Zero weights are kept at zero by default when the student's file name says it was pruned. */
export function keepZerosSuggested(student: string): boolean {
  return /pruned/i.test(student.split(/[\\/]/).pop() ?? student);
}

/** "MLP 64 → 32" / "narrower copy, 50% of the channels" / "the model x.pruned.onnx, zeros kept". */
export function describeStudent(s: StudentSpec): string {
  if (s.kind === 'model') return `the model ${s.path.split(/[\\/]/).pop() ?? s.path}${s.keepZeros ? ', zeros kept' : ''}`;
  return s.kind === 'mlp' ? `MLP ${s.hidden.join(' → ')}` : `narrower copy, ${Math.round(s.width * 100)}% of the channels`;
}

export function distillParams(teacher: string, c: DistillChoices, runtime: RuntimeOptions): DistillParams {
  return {
    teacher,
    data: c.data,
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.student ? { student: c.student } : {}),
    epochs: c.epochs ?? DEFAULT_EPOCHS,
    ...(c.temperature !== undefined ? { temperature: c.temperature } : {}),
    ...(c.alpha !== undefined ? { alpha: c.alpha } : {}),
    ...(c.seed !== undefined ? { seed: c.seed } : {}),
    ...(c.patience !== undefined ? { patience: c.patience } : {}),
    output: c.output ?? defaultStudentOutput(teacher),
    ...runtime,
  };
}

/**
 * `{ data, label?, student?: { kind: 'mlp', hidden: [64, 32] } | { kind: 'narrow', width: 0.5 } | { kind: 'model', path,
 * keepZeros? }, epochs?, temperature?, alpha?, seed?, patience?, output? }` → DistillChoices.
 */
export function parseDistillArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): DistillChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const file = (key: string): string | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !isAbsolute(v)) fail(`"${key}" must be an absolute path, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const data = file('data') ?? fail('"data" (the training data, an absolute path) is required');
  const output = file('output');
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null`);
  const student = x.student === undefined ? undefined : parseStudent(x.student, isAbsolute, fail);
  const num = (key: string, ok: (v: number) => boolean, what: string): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !ok(v)) fail(`"${key}" must be ${what}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const epochs = num('epochs', (v) => Number.isInteger(v) && v >= 1 && v <= MAX_EPOCHS, `a whole number from 1 to ${MAX_EPOCHS}`);
  const temperature = num('temperature', (v) => v > 0 && Number.isFinite(v), 'a positive number');
  const alpha = num('alpha', (v) => v >= 0 && v <= 1, 'a number from 0 to 1');
  const seed = num('seed', (v) => Number.isInteger(v) && v >= 0, 'a whole number ≥ 0');
  const patience = num('patience', (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  return {
    data,
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(student ? { student } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(patience !== undefined ? { patience } : {}),
    ...(output ? { output } : {}),
  };
}

function parseStudent(s: unknown, isAbsolute: (p: string) => boolean, fail: (detail: string) => never): StudentSpec {
  if (typeof s !== 'object' || s === null) return fail(`"student" must be { kind: 'mlp', hidden: [...] }, { kind: 'narrow', width } or { kind: 'model', path, keepZeros? }`);
  const spec = s as Record<string, unknown>;
  if (spec.kind === 'mlp') {
    const hidden = spec.hidden;
    if (!Array.isArray(hidden) || hidden.length === 0 || hidden.some((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > MAX_WIDTH)) {
      return fail(`"student.hidden" must be a non-empty array of widths (whole numbers ≥ 1), got ${JSON.stringify(hidden)}`);
    }
    const activation = spec.activation;
    if (activation !== undefined && activation !== 'relu' && activation !== 'tanh') return fail(`"student.activation" must be relu or tanh`);
    return { kind: 'mlp', hidden: [...(hidden as number[])], ...(activation ? { activation } : {}) };
  }
  if (spec.kind === 'narrow') {
    const width = spec.width;
    if (typeof width !== 'number' || !(width > 0 && width < 1)) return fail(`"student.width" must be strictly between 0 and 1, got ${JSON.stringify(width)}`);
    return { kind: 'narrow', width };
  }
  if (spec.kind === 'model') {
    const file = spec.path;
    if (typeof file !== 'string' || !isAbsolute(file)) return fail(`"student.path" (the ONNX model to train) must be an absolute path, got ${JSON.stringify(file)}`);
    const keepZeros = spec.keepZeros;
    if (keepZeros !== undefined && typeof keepZeros !== 'boolean') return fail(`"student.keepZeros" must be true or false, got ${JSON.stringify(keepZeros)}`);
    return { kind: 'model', path: file, ...(keepZeros !== undefined ? { keepZeros } : {}) };
  }
  return fail(`"student.kind" must be mlp, narrow or model, got ${JSON.stringify(spec.kind)}`);
}
