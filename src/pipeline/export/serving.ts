/**
 * `ptp export kserve` and `ptp export mlflow`: generated from the model's own I/O signature, validated before any
 * file is written, each written as a whole folder (folder.ts).
 *
 * KServe: OUT/inferenceservice.yaml (serving.kserve.io/v1beta1 InferenceService: modelFormat onnx, protocolVersion
 * v2 — the Open Inference Protocol, storageUri, resources, optional canaryTrafficPercent) and OUT/model/ (the model
 * file and its external data: what to upload to the storage URI).
 * MLflow: the model directory mlflow.onnx.save_model writes — MLmodel (flavors.onnx and flavors.python_function,
 * a tensor-spec signature per input and output, model_size_bytes, utc_time_created), model.onnx, requirements.txt,
 * python_env.yaml, conda.yaml.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { inspect, openModel } from '../../core';
import type { InspectResult, ValueSummary } from '../../core/report-types';
import type { OperationContext } from '../operation';
import { TOOL_VERSION } from '../shared/version';
import { ExportError } from './errors';
import { writeExportFolder, type ExportFile } from './folder';

/** ONNX element type → NumPy dtype name (MLflow's tensor-spec). */
const NUMPY_TYPES: Readonly<Record<string, string>> = {
  BOOL: 'bool', UINT8: 'uint8', UINT16: 'uint16', UINT32: 'uint32', UINT64: 'uint64', INT8: 'int8', INT16: 'int16', INT32: 'int32',
  INT64: 'int64', FLOAT16: 'float16', FLOAT: 'float32', DOUBLE: 'float64', STRING: 'object',
};

/** The ONNX release that introduced an opset of the default domain (MLflow records the onnx package version). */
const ONNX_RELEASE: Readonly<Record<number, string>> = { 7: '1.2', 8: '1.3', 9: '1.4', 10: '1.5', 11: '1.6', 12: '1.7', 13: '1.8', 14: '1.9', 15: '1.10', 16: '1.11', 17: '1.12', 18: '1.13', 19: '1.14', 20: '1.15', 21: '1.16', 22: '1.17', 23: '1.18' };

interface Read {
  readonly file: string;
  readonly info: InspectResult;
  readonly external: string[];
  readonly size: number;
}

async function readModel(model: string): Promise<Read> {
  const file = path.resolve(model);
  const m = await openModel(file);
  let info: InspectResult;
  try {
    info = inspect(m);
  } finally {
    await m.close();
  }
  const external = [...new Set(info.external_data.map((x) => path.normalize(x.location)))];
  let size = (await stat(file)).size;
  for (const x of external) size += (await stat(path.join(path.dirname(file), x))).size;
  return { file, info, external, size };
}

function modelFiles(r: Read, dir: string): ExportFile[] {
  return [{ path: path.join(dir, 'model.onnx'), copyFrom: r.file }, ...r.external.map((x) => ({ path: path.join(dir, x), copyFrom: path.join(path.dirname(r.file), x) }))];
}

/** A Kubernetes object name (RFC 1123 label): lowercase letters, digits and '-', at most 63. */
export function k8sName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return n || 'model';
}

export interface KServeOptions {
  readonly name?: string;
  /** Where the model folder will be uploaded (s3://, gs://, pvc://, https://…): required. */
  readonly storageUri: string;
  /** Send this share of the traffic to this revision (a canary rollout). */
  readonly canaryPercent?: number;
  readonly cpu?: string;
  readonly memory?: string;
  readonly force?: boolean;
}

export interface ServingExportResult {
  readonly format: 'kserve' | 'mlflow';
  readonly model: string;
  readonly output: string;
  readonly files: readonly string[];
  readonly name: string;
}

export async function exportKServe(model: string, out: string, o: KServeOptions, ctx: OperationContext = {}): Promise<ServingExportResult> {
  if (!o.storageUri || !/^[a-z][a-z0-9+.-]*:\/\//i.test(o.storageUri)) throw new ExportError('bad-option', `--storage-uri must be a URI where the model folder is uploaded (s3://…, gs://…, pvc://…, https://…), got ${JSON.stringify(o.storageUri ?? '')}`);
  if (o.canaryPercent !== undefined && (!Number.isInteger(o.canaryPercent) || o.canaryPercent < 0 || o.canaryPercent > 100)) throw new ExportError('bad-option', `--canary-percent must be an integer from 0 to 100, got ${o.canaryPercent}`);
  const r = await readModel(model);
  const name = k8sName(o.name ?? path.basename(r.file, '.onnx'));
  const resources = { cpu: o.cpu ?? '1', memory: o.memory ?? '2Gi' };
  const service = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, annotations: { 'ptp.tool/version': TOOL_VERSION, 'ptp.tool/source': path.basename(r.file) } },
    spec: {
      predictor: {
        ...(o.canaryPercent !== undefined ? { canaryTrafficPercent: o.canaryPercent } : {}),
        model: { modelFormat: { name: 'onnx' }, protocolVersion: 'v2', storageUri: o.storageUri, resources: { requests: { ...resources }, limits: { ...resources } } },
      },
    },
  };
  const files: ExportFile[] = [{ path: 'inferenceservice.yaml', text: `# Written by ptp export kserve. Upload model/ to ${o.storageUri}, then: kubectl apply -f inferenceservice.yaml\n${stringify(service)}` }, ...modelFiles(r, 'model')];
  const written = await writeExportFolder(out, files, o.force ?? false, ctx);
  return { format: 'kserve', model: r.file, output: path.resolve(out), files: written, name };
}

export interface MlflowOptions {
  readonly force?: boolean;
  /** onnxruntime's version for requirements.txt (the one ptp ran the model with). */
  readonly onnxruntimeVersion?: string;
}

function tensorSpec(v: ValueSummary, file: string): { type: 'tensor'; 'tensor-spec': { dtype: string; shape: number[] }; name: string } {
  const dtype = v.kind === 'tensor' && v.elem_type ? NUMPY_TYPES[v.elem_type] : undefined;
  if (!dtype || !v.shape) throw new ExportError('unsupported-type', `${file}: MLflow's signature cannot describe '${v.name}' (${v.kind} of ${v.elem_type ?? '?'}${v.shape ? '' : ', no shape'}): its tensor specs are typed arrays`);
  return { type: 'tensor', 'tensor-spec': { dtype, shape: v.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) }, name: v.name };
}

export async function exportMlflow(model: string, out: string, o: MlflowOptions = {}, ctx: OperationContext = {}): Promise<ServingExportResult> {
  const r = await readModel(model);
  const inputs = r.info.inputs.map((v) => tensorSpec(v, r.file));
  const outputs = r.info.outputs.map((v) => tensorSpec(v, r.file));
  const opset = r.info.opset_import['ai.onnx'] ?? 13;
  const onnxVersion = `${ONNX_RELEASE[Math.min(23, Math.max(7, opset))] ?? '1.16'}.0`;
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '000');
  const mlmodel = {
    flavors: {
      onnx: { code: null, data: 'model.onnx', onnx_version: onnxVersion, providers: ['CPUExecutionProvider'] },
      python_function: { data: 'model.onnx', env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' }, loader_module: 'mlflow.onnx', python_version: '3.11' },
    },
    model_size_bytes: r.size,
    model_uuid: randomUUID().replace(/-/g, ''),
    signature: { inputs: JSON.stringify(inputs), outputs: JSON.stringify(outputs), params: null },
    utc_time_created: now,
  };
  const requirements = ['mlflow', `onnx>=${onnxVersion}`, `onnxruntime${o.onnxruntimeVersion ? `==${o.onnxruntimeVersion}` : ''}`];
  const files: ExportFile[] = [
    { path: 'MLmodel', text: stringify(mlmodel) },
    ...modelFiles(r, '.'),
    { path: 'requirements.txt', text: `${requirements.join('\n')}\n` },
    { path: 'python_env.yaml', text: stringify({ python: '3.11', build_dependencies: ['pip'], dependencies: ['-r requirements.txt'] }) },
    { path: 'conda.yaml', text: stringify({ channels: ['conda-forge'], dependencies: ['python=3.11', 'pip', { pip: requirements }], name: 'mlflow-env' }) },
  ];
  const written = await writeExportFolder(out, files, o.force ?? false, ctx);
  return { format: 'mlflow', model: r.file, output: path.resolve(out), files: written, name: path.basename(r.file, '.onnx') };
}
