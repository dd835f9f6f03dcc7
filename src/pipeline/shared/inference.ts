/** A model ready for batched evaluation: session, fetch list, ZipMap removed (in a temp copy) when present. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect, openModel } from '../../core';
import type { ValueSummary } from '../../core/report-types';
import type { DecodedTensor } from '../../core/tensor/types';
import type { RuntimeOptions } from '../../protocol/worker';
import { createSession, toOrtTensor, type OrtSession } from '../runtime';
import type { BatchOutput } from './outputs';
import { writeWithoutZipMaps, type ZipMapRewrite } from './zipmap';

/** A model that runs batches: a local onnxruntime session or a model behind a V2 endpoint (serve/remote-model.ts). */
export interface ModelRunner {
  /** The model file, or the model's URL at an endpoint. */
  readonly file: string;
  readonly inputs: readonly ValueSummary[];
  /** Outputs as onnxruntime will return them (ZipMap outputs replaced by their probability tensors). */
  readonly outputs: readonly ValueSummary[];
  readonly zipmap: readonly ZipMapRewrite[];
  /** Classes of the score output declared other than by a ZipMap (a served model's metadata). */
  readonly classLabels?: readonly (string | number)[];
  run(inputs: Record<string, DecodedTensor>, fetch: readonly string[]): Promise<{ outputs: Record<string, BatchOutput>; ms: number }>;
  dispose(): Promise<void>;
}

export interface PreparedModel extends ModelRunner {
  readonly session: OrtSession;
}

export interface PrepareOptions extends RuntimeOptions {
  /**
   * Whether onnxruntime's intra-op threads busy-wait between runs (onnxruntime's default: true). Streamed
   * evaluation turns it off: the data reader thread needs the cores the spinning threads would burn.
   */
  readonly spinning?: boolean;
}

/**
 * An onnxruntime session as `prepareModel` creates it (the runtime options, plus no spinning when
 * `spinning: false`). The evaluation benchmark's bare loop uses it too, so both run the same session settings.
 */
export function createEvaluationSession(file: string, options: PrepareOptions = {}): Promise<OrtSession> {
  const { spinning, ...runtime } = options;
  return createSession(file, { ...runtime, ...(spinning === false ? { allowSpinning: false } : {}) });
}

/** The model's inputs as `prepareModel` reports them, from the structure alone (no session). */
export async function readModelInputs(file: string): Promise<readonly ValueSummary[]> {
  const model = await openModel(file);
  try {
    return inspect(model).inputs;
  } finally {
    await model.close();
  }
}

/** Opens the model with the core (structure, inputs/outputs), rewrites ZipMaps if any, creates the session. */
export async function prepareModel(file: string, options: PrepareOptions = {}): Promise<PreparedModel> {
  const model = await openModel(file);
  let tmp: string | undefined;
  try {
    const info = inspect(model);
    let runFile = file;
    let zipmap: ZipMapRewrite[] = [];
    let outputs = info.outputs;
    if (model.proto.graph?.node?.some((n) => n.opType === 'ZipMap')) {
      tmp = await mkdtemp(path.join(tmpdir(), 'ptp-eval-'));
      const rewritten = path.join(tmp, 'model.onnx');
      const r = await writeWithoutZipMaps(model, rewritten);
      if (r) {
        runFile = rewritten;
        zipmap = r;
        const byRemoved = new Map(r.map((z) => [z.removedOutput, z]));
        outputs = outputs.map((o) => {
          const z = byRemoved.get(o.name);
          return z ? { name: z.probabilities, kind: 'tensor' as const, elem_type: 'FLOAT', shape: ['N', z.classLabels.length] } : o;
        });
      }
    }
    const session = await createEvaluationSession(runFile, options);
    const tmpDir = tmp;
    return {
      file,
      inputs: info.inputs,
      outputs,
      zipmap,
      session,
      async run(inputs, fetch) {
        const feeds: Record<string, ReturnType<typeof toOrtTensor>> = {};
        for (const [k, v] of Object.entries(inputs)) feeds[k] = toOrtTensor(v);
        const t0 = performance.now();
        const res = await session.run(feeds, [...fetch]);
        const ms = performance.now() - t0;
        const outputs: Record<string, BatchOutput> = {};
        for (const name of fetch) {
          const t = res[name]!;
          outputs[name] = { dims: t.dims, data: t.data as BatchOutput['data'] };
        }
        return { outputs, ms };
      },
      async dispose() {
        await session.release().catch(() => undefined);
        if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (tmp) await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await model.close();
  }
}
