/**
 * What Prune Model… sends to the worker: the choices made in the pickers (or passed by a script as an arguments
 * object) plus the runtime settings, turned into PruneParams; the default output file; the sparsity and fine-tuning
 * epochs text checks of the input boxes; the sensitivity request of a run; the graph overlay built from a result.
 * No vscode: unit tested on plain Node.
 */
import * as path from 'node:path';
import type { OverlayEntry } from '../../shared/graph-overlays';
import type { ChannelCriterion, PruneFinetuneParams, PruneMethod, PruneParams, PruneResult, PruneScope, PruneSensitivityParams } from '../../../protocol/prune';
import type { RuntimeOptions } from '../../../protocol/worker';
import { defaultOutputFor } from '../../../pipeline/prune/settings';
import { CommandArgumentsError } from '../../shared/logic/command-args';
import { SPARSITY_OVERLAY_ID } from './prune-ids';

export const PRUNE_METHODS: readonly PruneMethod[] = ['magnitude', 'nm', 'structured'];
const SCOPES: readonly PruneScope[] = ['layer', 'global'];
const CRITERIA: readonly ChannelCriterion[] = ['l1', 'l2'];

/** The fine-tuning epochs suggested in the input box (the pipeline's default, FINETUNE_DEFAULTS.epochs). */
export const DEFAULT_FINETUNE_EPOCHS = 10;
/** Most fine-tuning epochs the pickers and the arguments object accept. */
export const MAX_FINETUNE_EPOCHS = 1000;

/** The choices of Prune Model… (pickers or arguments object). */
export interface PruneChoices {
  readonly method: PruneMethod;
  /** magnitude: per layer or one global threshold. */
  readonly scope?: PruneScope;
  /** In (0, 1); magnitude and structured. */
  readonly sparsity?: number;
  /** nm: keep n of every m. */
  readonly n?: number;
  readonly m?: number;
  readonly criterion?: ChannelCriterion;
  /** Node names to prune (default: every prunable node). */
  readonly layers?: readonly string[];
  /** Node names left alone. */
  readonly excludeNodes?: readonly string[];
  /** Evaluation data (accuracy before/after); absent = no accuracy check. */
  readonly data?: string;
  /** undefined: auto-detect; null: no labels (agreement only). */
  readonly label?: string | null;
  readonly output?: string;
  /** Fine-tune the pruned model on training data (distilled from the source model) before it is evaluated. */
  readonly finetune?: PruneFinetuneParams;
}

/** `<model>.pruned.onnx` next to the model (digits_cnn.onnx → digits_cnn.pruned.onnx), as `ptp prune` writes. */
export const defaultPrunedOutput: (model: string) => string = defaultOutputFor;

/** The suggested sparsity: a quarter of the channels for structured pruning, half the weights otherwise. */
export function defaultSparsity(method: PruneMethod): number {
  return method === 'structured' ? 0.25 : 0.5;
}

/** Fine-tuning is offered first for structured pruning (whole channels gone: accuracy usually drops most). */
export function finetuneSuggested(method: PruneMethod): boolean {
  return method === 'structured';
}

/** The fine-tuning epochs typed in the input box: a whole number from 1 to MAX_FINETUNE_EPOCHS. */
export function parseFinetuneEpochs(text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `Enter a whole number of epochs, e.g. ${DEFAULT_FINETUNE_EPOCHS}` };
  const value = Number(t);
  if (value < 1 || value > MAX_FINETUNE_EPOCHS) return { error: `The number of fine-tuning epochs must be between 1 and ${MAX_FINETUNE_EPOCHS}, got ${t}` };
  return { value };
}

/** Training data files first: a file whose name contains "train" is the likely fine-tuning data (stable otherwise). */
export function trainFilesFirst(files: readonly string[]): string[] {
  const isTrain = (f: string): number => Number(/train/i.test(path.basename(f)));
  return files.map((f, i) => ({ f, i })).sort((a, b) => isTrain(b.f) - isTrain(a.f) || a.i - b.i).map((x) => x.f);
}

/**
 * The sparsity typed in the input box: a fraction strictly inside (0, 1) ("0.5") or a percentage ("50%").
 * Returns the value or the message to show.
 */
export function parseSparsity(text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'Enter a sparsity between 0 and 1, e.g. 0.5 (or a percentage, e.g. 50%)' };
  const percent = t.endsWith('%');
  const body = percent ? t.slice(0, -1).trim() : t;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return { error: `"${t}" is not a number: enter e.g. 0.5 or 50%` };
  const value = Number(body) / (percent ? 100 : 1);
  if (!(value > 0 && value < 1)) return { error: `The sparsity must be strictly between 0 and 1 (0% and 100%), got ${t}` };
  return { value };
}

export function pruneParams(model: string, c: PruneChoices, runtime: RuntimeOptions, batchSize: number): PruneParams {
  return {
    model,
    method: c.method,
    ...(c.method !== 'nm' ? { sparsity: c.sparsity ?? defaultSparsity(c.method) } : {}),
    ...(c.method === 'magnitude' ? { scope: c.scope ?? 'layer' } : {}),
    ...(c.method === 'nm' ? { n: c.n ?? 2, m: c.m ?? 4 } : {}),
    ...(c.method === 'structured' && c.criterion ? { criterion: c.criterion } : {}),
    ...(c.layers?.length ? { layers: [...c.layers] } : {}),
    ...(c.excludeNodes?.length ? { excludeNodes: [...c.excludeNodes] } : {}),
    output: c.output ?? defaultPrunedOutput(model),
    ...(c.data ? { data: c.data } : {}),
    ...(c.data && c.label !== undefined ? { label: c.label } : {}),
    ...(c.finetune ? { finetune: { ...c.finetune } } : {}),
    batchSize,
    ...runtime,
  };
}

/** The sensitivity sweep matching a pruning run: magnitude for magnitude / N:M runs, structured for structured ones. */
export function sensitivityParams(params: PruneParams, data: string, label: string | null | undefined): PruneSensitivityParams {
  return {
    model: params.model,
    method: params.method === 'structured' ? 'structured' : 'magnitude',
    ...(params.criterion ? { criterion: params.criterion } : {}),
    ...(params.excludeNodes?.length ? { excludeNodes: [...params.excludeNodes] } : {}),
    data,
    ...(label !== undefined ? { label } : {}),
    ...(params.batchSize ? { batchSize: params.batchSize } : {}),
    ...(params.intraOpNumThreads ? { intraOpNumThreads: params.intraOpNumThreads } : {}),
    ...(params.executionProviders ? { executionProviders: params.executionProviders } : {}),
  };
}

/**
 * `{ method, scope?, sparsity?, n?, m?, criterion?, layers?, excludeNodes?, data?, label?, output?, finetune?: { data, label?,
 * epochs?, learningRate?, patience?, seed?, temperature?, alpha? } }` → PruneChoices. `exclude` is still accepted as the
 * former name of `excludeNodes` (giving both is an error).
 */
export function parsePruneArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): PruneChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const method = x.method;
  if (typeof method !== 'string' || !PRUNE_METHODS.includes(method as PruneMethod)) fail(`"method" must be one of ${PRUNE_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  const scope = x.scope;
  if (scope !== undefined && !SCOPES.includes(scope as PruneScope)) fail(`"scope" must be one of ${SCOPES.join(', ')}`);
  const criterion = x.criterion;
  if (criterion !== undefined && !CRITERIA.includes(criterion as ChannelCriterion)) fail(`"criterion" must be one of ${CRITERIA.join(', ')}`);
  const sparsity = x.sparsity;
  if (sparsity !== undefined && (typeof sparsity !== 'number' || !(sparsity > 0 && sparsity < 1))) fail(`"sparsity" must be a number strictly between 0 and 1, got ${JSON.stringify(sparsity)}`);
  const int = (key: string): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`"${key}" must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const n = int('n');
  const m = int('m');
  if (n !== undefined && m !== undefined && n >= m) fail(`N:M needs n < m, got ${n}:${m}`);
  const names = (key: string): string[] | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(`"${key}" must be an array of node names`);
    return [...(v as string[])];
  };
  const layers = names('layers');
  if (x.exclude !== undefined && x.excludeNodes !== undefined) fail(`give "excludeNodes" or its former name "exclude", not both`);
  const excludeNodes = names('excludeNodes') ?? names('exclude');
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null`);
  const file = (key: string): string | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !isAbsolute(v)) fail(`"${key}" must be an absolute path, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const data = file('data');
  const output = file('output');
  const finetune = x.finetune === undefined ? undefined : parseFinetune(x.finetune, isAbsolute, fail);
  return {
    method: method as PruneMethod,
    ...(scope !== undefined ? { scope: scope as PruneScope } : {}),
    ...(sparsity !== undefined ? { sparsity: sparsity as number } : {}),
    ...(n !== undefined ? { n } : {}),
    ...(m !== undefined ? { m } : {}),
    ...(criterion !== undefined ? { criterion: criterion as ChannelCriterion } : {}),
    ...(layers !== undefined ? { layers } : {}),
    ...(excludeNodes !== undefined ? { excludeNodes } : {}),
    ...(data ? { data } : {}),
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(output ? { output } : {}),
    ...(finetune ? { finetune } : {}),
  };
}

/** The `finetune` member of the arguments object: the training data (absolute path) and optional settings. */
function parseFinetune(v: unknown, isAbsolute: (p: string) => boolean, fail: (detail: string) => never): PruneFinetuneParams {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`"finetune" must be an object { data, label?, epochs?, … }, got ${JSON.stringify(v)}`);
  const f = v as Record<string, unknown>;
  if (typeof f.data !== 'string' || !isAbsolute(f.data)) return fail(`"finetune.data" (the training data) must be an absolute path, got ${JSON.stringify(f.data)}`);
  const label = f.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"finetune.label" must be a column name or null`);
  const num = (key: string, ok: (n: number) => boolean, what: string): number | undefined => {
    const n = f[key];
    if (n === undefined) return undefined;
    if (typeof n !== 'number' || !ok(n)) fail(`"finetune.${key}" must be ${what}, got ${JSON.stringify(n)}`);
    return n as number;
  };
  const epochs = num('epochs', (n) => Number.isInteger(n) && n >= 1 && n <= MAX_FINETUNE_EPOCHS, `a whole number from 1 to ${MAX_FINETUNE_EPOCHS}`);
  const learningRate = num('learningRate', (n) => n > 0 && Number.isFinite(n), 'a positive number');
  const patience = num('patience', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  const seed = num('seed', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  const temperature = num('temperature', (n) => n > 0 && Number.isFinite(n), 'a positive number');
  const alpha = num('alpha', (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  return {
    data: f.data,
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(patience !== undefined ? { patience } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
  };
}

/** Overlay colour bands (%): up to 25 light, 25–50, 50–75, above 75 heavily pruned. */
export const SPARSITY_THRESHOLDS: readonly number[] = [25, 50, 75];

/**
 * What a layer lost, in % — its zero weights for unstructured / N:M pruning; for structured pruning the parameters
 * removed (a shrunk layer has no zeros, but fewer weights).
 */
export function layerSparsityPercent(method: PruneMethod, layer: PruneResult['layers'][number]): number {
  if (method === 'structured') return layer.params_before > 0 ? (100 * (layer.params_before - layer.params_after)) / layer.params_before : 0;
  return 100 * layer.sparsity;
}

/** The Graph tab overlay of a result, on the SOURCE model's nodes (same names): per-layer sparsity in %. */
export function sparsityOverlay(result: PruneResult): OverlayEntry {
  const values: Record<string, number> = {};
  for (const layer of result.layers) {
    if (layer.status === 'excluded') continue;
    const v = layerSparsityPercent(result.method, layer);
    if (Number.isFinite(v)) values[layer.name] = Math.round(v * 10) / 10;
  }
  const what = result.method === 'structured' ? 'parameters removed' : 'zero weights';
  return {
    overlay: {
      id: SPARSITY_OVERLAY_ID,
      title: `Pruning: ${what} (${methodLabel(result)})`,
      unit: '%',
      values,
      scale: { kind: 'thresholds', thresholds: SPARSITY_THRESHOLDS },
      higherIsWorse: true,
    },
  };
}

/** "magnitude, global", "2:4", "structured, L1". */
export function methodLabel(r: Pick<PruneResult, 'method' | 'settings'>): string {
  if (r.method === 'magnitude') return `magnitude, ${r.settings.scope === 'global' ? 'global' : 'per layer'}`;
  if (r.method === 'nm') return `${r.settings.n}:${r.settings.m} semi-structured`;
  return `structured, ${r.settings.criterion.toUpperCase()}`;
}
