/** The `sample` operation: run the model once (plus timed repeats) on seeded random inputs and summarize. */
import { openModel } from '../../core/model';
import type { SampleParams, SampleResult, SampleTensorSummary } from '../../protocol/worker';
import type { OperationContext } from '../operation';
import { throwIfAborted } from '../operation';
import { fromOrtTensor, toOrtTensor } from '../runtime/convert';
import { RuntimeError } from '../runtime/errors';
import { ortVersion, type OrtRunResult, type OrtSession, type OrtTensor } from '../runtime/ort';
import { createSession, ortMessage } from '../runtime/session';
import { sampleInputSpecs, type SampleInputSpec } from '../shared/input-specs';
import { createRng, generateTensor } from '../shared/random-inputs';
import { summarizeTensor } from './stats';

/** Reads the inputs to feed from the model file with the core (structure only). */
async function readInputSpecs(modelPath: string, symbolicDimValue: number): Promise<SampleInputSpec[]> {
  const model = await openModel(modelPath);
  try {
    return sampleInputSpecs(model.proto, symbolicDimValue);
  } finally {
    await model.close();
  }
}

/**
 * onnxruntime's run blocks the thread: let pending I/O (progress messages to the extension, an abort) through
 * before each run.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function timedRun(
  session: OrtSession,
  feeds: Record<string, OrtTensor>,
  fetches: string[],
): Promise<{ ms: number; out: OrtRunResult }> {
  const start = performance.now();
  try {
    const out = await session.run(feeds, fetches);
    return { ms: performance.now() - start, out };
  } catch (e) {
    const m = ortMessage(e);
    throw new RuntimeError('ort-run', `onnxruntime failed to run the model on sample inputs: ${m}`, m);
  }
}

export async function runSample(params: SampleParams, ctx: OperationContext = {}): Promise<SampleResult> {
  const { signal, onProgress } = ctx;
  const repeat = params.repeat ?? 0;
  if (!Number.isSafeInteger(repeat) || repeat < 0) throw new RuntimeError('invalid-params', `repeat must be a non-negative integer, got ${repeat}`);
  const progress = (message: string, fraction: number) => onProgress?.({ message, fraction });

  throwIfAborted(signal);
  progress('Reading model inputs', 0);
  const specs = await readInputSpecs(params.model, params.symbolicDimValue ?? 1);

  throwIfAborted(signal);
  progress('Creating onnxruntime session', 0.1);
  const version = ortVersion();
  const sessionStart = performance.now();
  const session = await createSession(params.model, params);
  const sessionMs = performance.now() - sessionStart;
  try {
    throwIfAborted(signal);
    progress('Generating inputs', 0.3);
    const rng = createRng(params.seed ?? 0);
    const inputs = specs.map((s) => generateTensor(s.name, s.dataType, s.dims, rng));
    const expected = new Set(session.inputNames);
    for (const s of specs) {
      if (!expected.has(s.name)) throw new RuntimeError('ort-run', `onnxruntime does not list graph input '${s.name}' as a model input`);
    }
    const feeds: Record<string, OrtTensor> = {};
    for (const t of inputs) feeds[t.name!] = toOrtTensor(t);

    // onnxruntime-node returns tensors only: fetch the tensor outputs (optional/sequence/map outputs are left out).
    const fetches = session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name);
    if (fetches.length === 0) {
      throw new RuntimeError(
        'unsupported-kind',
        `no output of the model is a tensor (${session.outputNames.join(', ')}); onnxruntime-node returns tensors only`,
      );
    }

    throwIfAborted(signal);
    progress('Running the model', 0.4);
    await yieldToEventLoop();
    throwIfAborted(signal);
    const first = await timedRun(session, feeds, fetches);
    const runMs = [first.ms];
    for (let i = 0; i < repeat; i++) {
      throwIfAborted(signal);
      progress(`Timed run ${i + 1} of ${repeat}`, 0.5 + (0.45 * i) / repeat);
      await yieldToEventLoop();
      throwIfAborted(signal);
      runMs.push((await timedRun(session, feeds, fetches)).ms);
    }

    throwIfAborted(signal);
    progress('Summarizing', 0.95);
    const outputs: SampleTensorSummary[] = fetches.map((name) => summarizeTensor(name, fromOrtTensor(first.out[name] as OrtTensor, name)));
    const result: SampleResult = {
      model: params.model,
      inputs: inputs.map((t) => summarizeTensor(t.name!, t)),
      outputs,
      run_ms: runMs,
      session_ms: sessionMs,
      ort_version: version,
    };
    progress('Done', 1);
    return result;
  } finally {
    await session.release();
  }
}
