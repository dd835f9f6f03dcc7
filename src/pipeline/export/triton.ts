/**
 * `ptp export triton`: a model in a Triton model repository OUT (created if needed; other models in it are left
 * alone) for the onnxruntime backend, generated from the model's own I/O signature —
 *
 *   OUT/<name>/config.pbtxt
 *   OUT/<name>/<version>/model.onnx                 (with external data: the folder form, model.onnx/ holding
 *                                                    model.onnx and its data files, as Triton documents)
 *
 * The batch rule Triton's most common load error is about: when every input and output has a dynamic first
 * dimension, `max_batch_size` (default 32) is set and `dims` leave that dimension out; otherwise
 * `max_batch_size: 0` and `dims` are the full shapes. Other dynamic dims are -1. A type Triton cannot express
 * (sequences, maps — e.g. a ZipMap output) is refused with the tensor's name and the way out.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { inspect, openModel } from '../../core';
import type { ValueSummary } from '../../core/report-types';
import type { OperationContext } from '../operation';
import { ExportError } from './errors';
import { writeExportFolder, type ExportFile } from './folder';

/** ONNX element type → Triton data_type. */
const TRITON_TYPES: Readonly<Record<string, string>> = {
  BOOL: 'TYPE_BOOL',
  UINT8: 'TYPE_UINT8',
  UINT16: 'TYPE_UINT16',
  UINT32: 'TYPE_UINT32',
  UINT64: 'TYPE_UINT64',
  INT8: 'TYPE_INT8',
  INT16: 'TYPE_INT16',
  INT32: 'TYPE_INT32',
  INT64: 'TYPE_INT64',
  FLOAT16: 'TYPE_FP16',
  FLOAT: 'TYPE_FP32',
  DOUBLE: 'TYPE_FP64',
  STRING: 'TYPE_STRING',
  BFLOAT16: 'TYPE_BF16',
};

export interface TritonOptions {
  /** The model's name in the repository (default: the file name without .onnx, made a valid name). */
  readonly name?: string;
  /** The version folder (default 1). */
  readonly version?: number;
  /** Used when the model batches (every I/O has a dynamic first dim); default 32. */
  readonly maxBatchSize?: number;
  /** dynamic_batching's max_queue_delay_microseconds (default 100). */
  readonly maxQueueDelayUs?: number;
  /** instance_group count on the CPU (default 1). */
  readonly instances?: number;
  /** Replace a non-empty OUT. */
  readonly force?: boolean;
}

export interface TritonTensor {
  readonly name: string;
  readonly data_type: string;
  readonly dims: readonly number[];
}

export interface TritonExportResult {
  readonly format: 'triton';
  readonly model: string;
  readonly output: string;
  /** Files written, relative to output. */
  readonly files: readonly string[];
  readonly name: string;
  readonly version: number;
  readonly max_batch_size: number;
  readonly inputs: readonly TritonTensor[];
  readonly outputs: readonly TritonTensor[];
  readonly config: string;
}

/** A protobuf text-format string literal. */
export function textString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

const isDynamic = (d: number | string | null | undefined): boolean => typeof d !== 'number' || d < 0;

function tensorOf(v: ValueSummary, batched: boolean, file: string): TritonTensor {
  const type = v.kind === 'tensor' && v.elem_type ? TRITON_TYPES[v.elem_type] : undefined;
  if (!type) {
    const what = v.kind === 'tensor' ? `element type ${v.elem_type ?? 'unknown'}` : `a ${v.kind} of ${v.elem_type ?? '?'}`;
    throw new ExportError(
      'unsupported-type',
      `${file}: Triton cannot serve '${v.name}': it is ${what}, and Triton's tensors are plain typed arrays${v.kind !== 'tensor' ? ' (remove the ZipMap / sequence output, e.g. with skl2onnx options {zipmap: False}, and export again)' : ''}`,
    );
  }
  if (!v.shape) throw new ExportError('unsupported-type', `${file}: '${v.name}' has no shape in the model; Triton needs its rank (run the model through shape inference or declare the shape)`);
  const dims = (batched ? v.shape.slice(1) : v.shape).map((d) => (isDynamic(d) ? -1 : (d as number)));
  return { name: v.name, data_type: type, dims };
}

/** config.pbtxt for a model of this I/O signature. */
export function tritonConfig(
  io: { readonly inputs: readonly ValueSummary[]; readonly outputs: readonly ValueSummary[] },
  o: { readonly name: string; readonly maxBatchSize: number; readonly maxQueueDelayUs: number; readonly instances: number },
  file: string,
): { config: string; maxBatchSize: number; inputs: TritonTensor[]; outputs: TritonTensor[] } {
  const all = [...io.inputs, ...io.outputs];
  const batched = all.length > 0 && all.every((v) => v.shape !== null && v.shape.length > 0 && isDynamic(v.shape[0]));
  const inputs = io.inputs.map((v) => tensorOf(v, batched, file));
  const outputs = io.outputs.map((v) => tensorOf(v, batched, file));
  const maxBatchSize = batched ? o.maxBatchSize : 0;
  const block = (kind: 'input' | 'output', ts: readonly TritonTensor[]) =>
    `${kind} [\n${ts
      .map((t) => {
        // Triton wants at least one dim: a scalar is [ 1 ] reshaped to [ ].
        const dims = t.dims.length ? t.dims : [1];
        return `  {\n    name: ${textString(t.name)}\n    data_type: ${t.data_type}\n    dims: [ ${dims.join(', ')} ]\n${t.dims.length ? '' : '    reshape: { shape: [ ] }\n'}  }`;
      })
      .join(',\n')}\n]`;
  const lines = [
    `name: ${textString(o.name)}`,
    `backend: "onnxruntime"`,
    `max_batch_size: ${maxBatchSize}`,
    `version_policy: { latest: { num_versions: 1 } }`,
    block('input', inputs),
    block('output', outputs),
    ...(batched ? [`dynamic_batching {\n  max_queue_delay_microseconds: ${o.maxQueueDelayUs}\n}`] : []),
    `instance_group [\n  {\n    kind: KIND_CPU\n    count: ${o.instances}\n  }\n]`,
  ];
  return { config: `# Written by ptp export triton from the model's own inputs and outputs.\n${lines.join('\n')}\n`, maxBatchSize, inputs, outputs };
}

/** A valid Triton model name from a file name. */
export function modelNameFor(file: string): string {
  return path.basename(file).replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
}

function positiveInt(v: number | undefined, fallback: number, what: string, min = 1): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new ExportError('bad-option', `${what} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export async function exportTriton(model: string, out: string, options: TritonOptions = {}, ctx: OperationContext = {}): Promise<TritonExportResult> {
  const file = path.resolve(model);
  const name = options.name ?? modelNameFor(file);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ExportError('bad-name', `"${name}" is not a usable Triton model name (letters, digits, ".", "_", "-")`);
  const version = positiveInt(options.version, 1, '--version');
  const o = {
    name,
    maxBatchSize: positiveInt(options.maxBatchSize, 32, '--max-batch-size'),
    maxQueueDelayUs: positiveInt(options.maxQueueDelayUs, 100, '--max-queue-delay-us', 0),
    instances: positiveInt(options.instances, 1, '--instances'),
  };
  ctx.onProgress?.({ message: `reading ${path.basename(file)}…` });
  const m = await openModel(file);
  let report;
  try {
    report = inspect(m);
  } finally {
    await m.close();
  }
  const cfg = tritonConfig(report, o, file);
  const external = [...new Set(report.external_data.map((x) => path.normalize(x.location)))];
  const files: ExportFile[] = [{ path: 'config.pbtxt', text: cfg.config }];
  if (external.length) {
    files.push({ path: path.join(String(version), 'model.onnx', 'model.onnx'), copyFrom: file });
    for (const x of external) files.push({ path: path.join(String(version), 'model.onnx', x), copyFrom: path.join(path.dirname(file), x) });
  } else {
    files.push({ path: path.join(String(version), 'model.onnx'), copyFrom: file });
  }
  // OUT is the repository (it may hold other models); this model's folder OUT/<name> is written whole.
  const repository = path.resolve(out);
  await mkdir(repository, { recursive: true });
  ctx.onProgress?.({ message: `writing ${name} into the Triton repository ${repository}…` });
  const written = await writeExportFolder(path.join(repository, name), files, options.force ?? false, ctx);
  return { format: 'triton', model: file, output: repository, files: written.map((f) => path.join(name, f)), name, version, max_batch_size: cfg.maxBatchSize, inputs: cfg.inputs, outputs: cfg.outputs, config: cfg.config };
}
