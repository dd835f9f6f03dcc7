/**
 * A model behind an Open Inference Protocol endpoint (ptp serve, Triton, KServe) as evaluation, comparison and
 * batch inference run it: the same `ModelRunner` shape as a local onnxruntime session, so the data planning and
 * the reading of outputs stay shared. Each data batch goes out as up to `concurrency` requests at once (split
 * along the batch dimension; one row per request for a model without a dynamic one), in the binary tensor data
 * extension when the server lists it, else in JSON; the answers are joined back in row order.
 *
 * A remote model is named by its URL, `http://HOST:PORT/v2/models/NAME[/versions/V]`, wherever a model path goes.
 */
import type { ValueSummary } from '../../core/report-types';
import { dataTypeName } from '../../core/tensor/dtypes';
import type { DecodedTensor } from '../../core/tensor/types';
import { float16ToFloat32Array, float32ToFloat16Array } from '../runtime/float16';
import type { ModelRunner } from '../shared/inference';
import type { BatchOutput } from '../shared/outputs';
import { V2Client } from './client';
import { allocate, onnxTypeOfV2, v2TypeOfOnnx, type TensorData, type V2Tensor } from './datatypes';
import { ServeError } from './errors';

export const DEFAULT_ENDPOINT_CONCURRENCY = 4;

export interface EndpointModelRef {
  /** The server's base URL (`http://127.0.0.1:8000`). */
  readonly url: string;
  readonly model: string;
  readonly version?: string;
}

/** Whether a model argument names a model at an endpoint (an http(s) URL) rather than a file. */
export function isEndpointModel(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** The URL that names a model at an endpoint. */
export function endpointModelUrl(ref: EndpointModelRef): string {
  const base = ref.url.replace(/\/+$/, '').replace(/\/v2$/, '');
  return `${base}/v2/models/${encodeURIComponent(ref.model)}${ref.version !== undefined ? `/versions/${encodeURIComponent(ref.version)}` : ''}`;
}

/** The base URL, model and version a model URL names. */
export function parseEndpointModelUrl(url: string): EndpointModelRef {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ServeError('bad-config', `"${url}" is not an endpoint URL`);
  }
  const m = /^(.*?)\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/?$/.exec(u.pathname);
  if (!m) throw new ServeError('bad-config', `"${url}" names no model: expected ${u.origin}/v2/models/NAME[/versions/V]`);
  return { url: `${u.origin}${m[1]}`, model: decodeURIComponent(m[2]!), ...(m[3] !== undefined ? { version: decodeURIComponent(m[3]) } : {}) };
}

/** The model's inputs as the endpoint's metadata declares them (no inference). */
export async function endpointModelInputs(url: string): Promise<readonly ValueSummary[]> {
  const ref = parseEndpointModelUrl(url);
  const meta = await new V2Client(ref.url).modelMetadata(ref.model, ref.version);
  return meta.inputs.map((t) => summaryOf(t.name, t.datatype, t.shape));
}

function summaryOf(name: string, datatype: string, shape: readonly number[]): ValueSummary {
  return { name, kind: 'tensor', elem_type: datatype === 'BYTES' ? 'STRING' : onnxTypeOfV2(datatype as never), shape: shape.map((d, i) => (d < 0 ? (i === 0 ? 'N' : null) : d)) };
}

/** Connects to a model at an endpoint: reads its metadata (the model must be there), decides JSON or binary. */
export async function connectEndpointModel(url: string, options: { readonly concurrency?: number; readonly timeoutMs?: number } = {}): Promise<ModelRunner> {
  const ref = parseEndpointModelUrl(url);
  const concurrency = options.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new ServeError('bad-config', `concurrency must be a positive integer, got ${concurrency}`);
  const client = new V2Client(ref.url, { timeoutMs: options.timeoutMs ?? 120_000 });
  const server = await client.serverMetadata().catch(() => ({ extensions: [] as string[] }));
  const meta = await client.modelMetadata(ref.model, ref.version);
  const binary = (server.extensions ?? []).includes('binary_tensor_data');
  const inputs = meta.inputs.map((t) => summaryOf(t.name, t.datatype, t.shape));
  const outputs = meta.outputs.map((t) => summaryOf(t.name, t.datatype, t.shape));
  const batchable = [...meta.inputs, ...meta.outputs].every((t) => t.shape.length > 0 && t.shape[0]! < 0);
  const label = endpointModelUrl(ref);

  const send = async (tensors: V2Tensor[], fetch: readonly string[]): Promise<V2Tensor[]> => {
    const r = await client.infer(ref.model, tensors, { ...(ref.version !== undefined ? { version: ref.version } : {}), outputs: fetch, binary });
    return [...r.outputs];
  };

  return {
    file: label,
    inputs,
    outputs,
    zipmap: [],
    ...(classLabelsOf(meta.parameters) ? { classLabels: classLabelsOf(meta.parameters) } : {}),
    async run(feeds: Record<string, DecodedTensor>, fetch: readonly string[]) {
      const t0 = performance.now();
      const entries = Object.entries(feeds);
      const rows = entries[0]?.[1].dims[0] ?? 1;
      const chunk = batchable ? Math.max(1, Math.ceil(rows / concurrency)) : (meta.inputs[0]?.shape[0] ?? 1);
      if (!batchable && chunk > 0 && rows % chunk !== 0) throw new ServeError('bad-request', `${label}: ${rows} rows do not split into requests of ${chunk} (the model's fixed batch dimension)`);
      const starts: number[] = [];
      for (let s = 0; s < rows; s += chunk) starts.push(s);
      const answers: V2Tensor[][] = new Array(starts.length);
      let next = 0;
      const worker = async () => {
        while (next < starts.length) {
          const i = next++;
          const s = starts[i]!;
          const n = Math.min(chunk, rows - s);
          answers[i] = await send(entries.map(([name, t]) => toV2(name, t, s, n, rows)), fetch);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, starts.length) }, worker));
      const out: Record<string, BatchOutput> = {};
      for (const name of fetch) out[name] = joinOutputs(label, name, answers.map((a) => a.find((t) => t.name === name)));
      return { outputs: out, ms: performance.now() - t0 };
    },
    async dispose() {},
  };
}

/** The classes a server declares for the model's probability output (ptp serve: `class_labels`, a JSON array). */
function classLabelsOf(parameters: Readonly<Record<string, unknown>> | undefined): (string | number)[] | undefined {
  const raw = parameters?.class_labels;
  if (typeof raw !== 'string') return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number') ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Rows [start, start+n) of a decoded batch tensor as a V2 tensor (FP16 as bit patterns). */
function toV2(name: string, t: DecodedTensor, start: number, n: number, rows: number): V2Tensor {
  const typeName = dataTypeName(t.dataType);
  const datatype = v2TypeOfOnnx(typeName);
  if (!datatype) throw new ServeError('bad-request', `input '${name}' has element type ${typeName}, which the Open Inference Protocol cannot carry`);
  const per = rows > 0 ? t.size / rows : 0;
  const values = t.values as unknown as { slice(a: number, b: number): TensorData };
  let data = values.slice(start * per, (start + n) * per);
  if (datatype === 'FP16' && data instanceof Float32Array) data = float32ToFloat16Array(data);
  return { name, datatype, shape: [n, ...t.dims.slice(1)], data };
}

/** One output's answers (one per request, in row order) as one batch output. */
function joinOutputs(label: string, name: string, parts: (V2Tensor | undefined)[]): BatchOutput {
  if (parts.some((p) => p === undefined)) throw new ServeError('unavailable', `${label}: the answer holds no output '${name}'`);
  const tensors = parts as V2Tensor[];
  const first = tensors[0]!;
  const rows = tensors.reduce((a, t) => a + (t.shape[0] ?? 1), 0);
  const dims = [rows, ...first.shape.slice(1)];
  const asBatch = (data: TensorData): BatchOutput['data'] => (first.datatype === 'FP16' ? float16ToFloat32Array(data as Uint16Array) : (data as BatchOutput['data']));
  if (tensors.length === 1) return { dims: first.shape.length ? [...first.shape] : [1], data: asBatch(first.data) };
  if (first.datatype === 'BYTES') return { dims, data: tensors.flatMap((t) => t.data as string[]) };
  const total = tensors.reduce((a, t) => a + t.data.length, 0);
  const joined = allocate(first.datatype, total) as Exclude<TensorData, string[]>;
  let offset = 0;
  for (const t of tensors) {
    (joined as { set(a: ArrayLike<number | bigint>, o: number): void }).set(t.data as ArrayLike<number | bigint>, offset);
    offset += t.data.length;
  }
  return { dims, data: asBatch(joined) };
}
