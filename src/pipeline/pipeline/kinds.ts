/**
 * What each stage kind takes in `with:` and publishes as outputs — the table validation checks a file against
 * before anything runs. Option names are the snake_case of the CLI flags of the command of that name
 * (`--per-channel` → `per_channel`, `-o/--output` → `output`), plus `model` (the command's model argument) and, for
 * `export`, `format`. The runners live in stages.ts.
 */
import { STAT_TESTS } from '../../protocol/drift';
import type { StageKind } from '../../protocol/pipeline';

/** `list`: a list of strings, or one comma-separated string (like a repeatable CLI flag). */
export type OptionType = 'string' | 'number' | 'int' | 'bool' | 'list' | 'checks' | readonly string[];

export interface KindSpec {
  readonly options: Readonly<Record<string, OptionType>>;
  /** Output fields; a name ending in `.*` has sub-fields (`metrics.*` → `metrics.accuracy`). */
  readonly outputs: readonly string[];
  /** Options that must be given. */
  readonly required?: readonly string[];
}

const DATA = { data: 'string', label: 'string', sensitive: 'list' } as const;
const DRIFT_TESTS = ['auto', ...STAT_TESTS] as const;
const SIZE_OUTPUTS = ['output', 'size_bytes', 'size_bytes_before', 'size_ratio'];
const BEFORE_AFTER = ['samples', 'agreement', 'max_abs_diff', 'metrics_before.*', 'metrics_after.*'];

export const KINDS: Readonly<Record<StageKind, KindSpec>> = {
  evaluate: {
    options: { model: 'string', ...DATA, task: ['auto', 'classification', 'regression'], exclude: 'list', positive: 'string', batch: 'int', bootstrap: 'int', seed: 'int', max_rows: 'int', threads: 'int', robustness: 'bool', outputs: 'string' },
    outputs: ['model', 'model_sha256', 'samples', 'task', 'metrics.*', 'latency.*', 'robustness.*', 'evaluation'],
  },
  quantize: {
    options: {
      model: 'string',
      mode: ['dynamic', 'static', 'fp16', 'int4'],
      output: 'string',
      ...DATA,
      exclude_columns: 'list',
      calibration: 'string',
      calibration_rows: 'int',
      method: ['minmax', 'percentile', 'entropy'],
      percentile: 'number',
      per_channel: 'bool',
      exclude: 'list',
      op_types: 'list',
      block_size: 'int',
      accuracy_level: 'int',
      symmetric: 'bool',
      reduce_range: 'bool',
      activation_type: ['int8', 'uint8'],
      fp16_block_list: 'list',
      recipe: 'string',
      sqnr_rows: 'int',
      latency: 'bool',
      latency_batch: 'list',
      batch: 'int',
      threads: 'int',
    },
    outputs: [...SIZE_OUTPUTS, 'mode', 'quantized_nodes', 'skipped', 'weight_bytes_before', 'weight_bytes_after', ...BEFORE_AFTER],
    required: ['mode'],
  },
  optimize: {
    options: { model: 'string', passes: 'list', ort: ['basic', 'extended', 'all'], level: ['basic', 'extended', 'all'], output: 'string', dim: 'int', seed: 'int', rtol: 'number', atol: 'number', threads: 'int' },
    outputs: [...SIZE_OUTPUTS, 'node_count_before', 'node_count_after', 'max_abs_diff', 'rounds'],
  },
  prune: {
    options: {
      model: 'string',
      method: ['magnitude', 'nm', 'structured'],
      sparsity: 'number',
      scope: ['layer', 'global'],
      pattern: 'string',
      criterion: ['l1', 'l2'],
      layers: 'list',
      exclude: 'list',
      round_to: 'int',
      output: 'string',
      ...DATA,
      exclude_columns: 'list',
      finetune: 'string',
      finetune_epochs: 'int',
      finetune_label: 'string',
      latency: 'bool',
      latency_batch: 'list',
      batch: 'int',
      threads: 'int',
    },
    outputs: [...SIZE_OUTPUTS, 'achieved_weight_sparsity', 'params_before', 'params_after', ...BEFORE_AFTER],
    required: ['method'],
  },
  register: {
    options: { model: 'string', name: 'string', alias: 'list', tag: 'list', description: 'string' },
    outputs: ['ref', 'name', 'version', 'sha256', 'existing', 'parent'],
    required: ['name'],
  },
  alias: {
    options: { model: 'string', alias: 'string' },
    outputs: ['ref', 'name', 'version', 'alias', 'from'],
    required: ['model', 'alias'],
  },
  card: {
    options: { model: 'string', output: 'string' },
    outputs: ['output', 'placeholders'],
  },
  export: {
    options: {
      format: ['triton', 'kserve', 'mlflow', 'docker'],
      model: 'string',
      output: 'string',
      name: 'string',
      version: 'int',
      max_batch_size: 'int',
      max_queue_delay_us: 'int',
      instances: 'int',
      storage_uri: 'string',
      canary_percent: 'int',
      cpu: 'string',
      memory: 'string',
      runtime: ['ptp', 'triton'],
      force: 'bool',
    },
    outputs: ['output', 'format', 'name', 'files'],
    required: ['format'],
  },
  'serve-check': {
    options: { model: 'string', ...DATA, exclude: 'list', max_rows: 'int', batch: 'int', concurrency: 'int', max_batch_size: 'int', instances: 'int', threads: 'int' },
    outputs: ['max_abs_diff', 'p50_ms', 'p99_ms', 'samples', 'agreement', 'endpoint'],
  },
  gate: { options: { checks: 'checks' }, outputs: ['passed'], required: ['checks'] },
  approve: { options: { message: 'string' }, outputs: ['approved', 'by', 'at', 'comment'] },
  compare: {
    options: { models: 'list', ...DATA, task: ['auto', 'classification', 'regression'], exclude: 'list', positive: 'string', batch: 'int', bootstrap: 'int', seed: 'int', max_rows: 'int', threads: 'int' },
    outputs: ['models', 'samples', 'task', 'agreement', 'max_abs_diff', 'deltas.*'],
    required: ['models'],
  },
  distill: {
    options: {
      model: 'string',
      data: 'string',
      label: 'string',
      exclude_columns: 'list',
      student: 'string',
      activation: ['relu', 'tanh'],
      temperature: 'number',
      alpha: 'number',
      epochs: 'int',
      batch_size: 'int',
      lr: 'number',
      val_split: 'number',
      patience: 'int',
      seed: 'int',
      eval_data: 'string',
      latency: 'bool',
      latency_batch: 'list',
      threads: 'int',
      output: 'string',
    },
    outputs: [...SIZE_OUTPUTS, 'params_before', 'params_after', 'epochs_run', 'best_epoch', ...BEFORE_AFTER],
  },
  explain: {
    options: {
      model: 'string',
      ...DATA,
      exclude: 'list',
      background: 'string',
      background_sample: 'int',
      background_kmeans: 'int',
      output: 'string',
      method: ['exact', 'kernel', 'permutation', 'occlusion'],
      nsamples: 'int',
      top_k: 'int',
      max_evals: 'int',
      target_error: 'number',
      max_coalitions: 'int',
      seed: 'int',
      rows: 'list',
      max_rows: 'int',
      task: ['auto', 'classification', 'regression'],
      batch: 'int',
      threads: 'int',
    },
    outputs: ['rows', 'method', 'top_features', 'importance.*', 'efficiency_max_error', 'explanation'],
  },
  // Accepted by validation; this version refuses them when the run reaches them (UNAVAILABLE_STAGES).
  drift: {
    options: { reference: 'string', current: 'string', columns: 'list', exclude: 'list', categorical: 'list', numerical: 'list', stattest: [...DRIFT_TESTS], threshold: 'number', drift_share: 'number', html: 'string' },
    outputs: ['dataset_drift', 'drift_share', 'drifted_columns', 'share_of_drifted_columns', 'n_columns', 'drifted', 'html'],
    required: ['current'],
  },
  monitor: {
    options: {
      model: 'string',
      reference: 'string',
      current: 'string',
      label: 'string',
      labels: 'string',
      id_column: 'string',
      time_column: 'string',
      chunk_size: 'int',
      chunk_period: 'string',
      columns: 'list',
      exclude: 'list',
      categorical: 'list',
      numerical: 'list',
      stattest: [...DRIFT_TESTS],
      threshold: 'number',
      drift_share: 'number',
      prometheus: 'string',
      threads: 'int',
      html: 'string',
    },
    outputs: ['alerts', 'chunks', 'dataset_drift_chunks', 'estimated.*', 'realized.*', 'html'],
    required: ['current'],
  },
};

/** Whether `fields` (after `stages.<id>.`) name an output of `kind`. */
export function isKnownOutput(kind: StageKind, fields: readonly string[]): boolean {
  const first = fields[0]!;
  for (const o of KINDS[kind].outputs) {
    if (o.endsWith('.*') ? o.slice(0, -2) === first && fields.length >= 2 : o === first && fields.length === 1) return true;
  }
  return false;
}
