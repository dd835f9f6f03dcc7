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

export interface PreparedModel {
  readonly file: string;
  readonly inputs: readonly ValueSummary[];
  /** Outputs as onnxruntime will return them (ZipMap outputs replaced by their probability tensors). */
  readonly outputs: readonly ValueSummary[];
  readonly zipmap: readonly ZipMapRewrite[];
  readonly session: OrtSession;
  run(inputs: Record<string, DecodedTensor>, fetch: readonly string[]): Promise<{ outputs: Record<string, BatchOutput>; ms: number }>;
  dispose(): Promise<void>;
}

/** Opens the model with the core (structure, inputs/outputs), rewrites ZipMaps if any, creates the session. */
export async function prepareModel(file: string, options: RuntimeOptions = {}): Promise<PreparedModel> {
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
    const session = await createSession(runFile, options);
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
