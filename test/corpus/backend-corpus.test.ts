/**
 * Corpus test over ONNX's own backend test data (Debian package libonnx-testdata): for every model the core opens
 * it and runs inspect(); every tensor .pb decodes with readTensorProtoFile; where onnxruntime-node can run the
 * model, feeding our decoded inputs must give our decoded expected outputs. A wrong decode fails the test.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from '../../src/core/inspect';
import { openModel, readTensorProtoFile } from '../../src/core/model';
import { onnx } from '../../src/core/proto/onnx';
import { decodeTensorFields } from '../../src/core/tensor/decode';
import { DataType, dataTypeName } from '../../src/core/tensor/dtypes';
import type { DecodedTensor } from '../../src/core/tensor/types';
import { createSession, fromOrtTensor, isRuntimeError, ortTypeOf, toOrtTensor, type OrtTensor } from '../../src/pipeline/runtime';
import { ALLOWANCES, DATA_QUIRKS } from './allow-list';
import { mismatch, type CompareOptions } from './compare';
import { decodeWithOrt, disposeOracle, exactDifference } from './ort-oracle';
import { declaredKind, listCorpus, testDataRootOrMissingTest, type CorpusModel } from '../helpers/testdata';

const summary = {
  models: 0,
  opened: 0,
  tensorsDecoded: 0,
  /** Tensors whose core decoding equals onnxruntime's own TensorProto parsing bit for bit. */
  tensorsCrossChecked: 0,
  compared: 0,
  outputsCompared: 0,
  ortRefused: [] as string[],
  skippedByKind: [] as string[],
  pbSkippedByKind: 0,
  allowListed: [] as string[],
  bfloat16Checked: 0,
  /** Element types of the tensors that went through onnxruntime (fed inputs and compared outputs). */
  dtypesThroughOrt: new Map<string, number>(),
};

function countDtype(t: DecodedTensor): void {
  const n = dataTypeName(t.dataType);
  summary.dtypesThroughOrt.set(n, (summary.dtypesThroughOrt.get(n) ?? 0) + 1);
}

/** Checks what the decoded tensor says against the type the model declares for it. */
function checkAgainstDeclared(t: DecodedTensor, vi: onnx.ValueInfoProto.$Properties, what: string, modelId: string): void {
  const declared = vi.type!.tensorType!;
  const quirk = DATA_QUIRKS.get(modelId);
  const storedAs = quirk?.storedAs !== undefined && declared.elemType === quirk.storedAs.declared && t.dataType === quirk.storedAs.stored;
  if (!storedAs) {
    assert.equal(dataTypeName(t.dataType), dataTypeName(declared.elemType ?? 0), `${what}: element type differs from the declared one`);
  }
  const complex = t.dataType === DataType.COMPLEX64 || t.dataType === DataType.COMPLEX128;
  assert.equal(t.size, t.dims.reduce((a, b) => a * b, 1), `${what}: size is not the product of dims`);
  assert.equal(t.values.length, complex ? 2 * t.size : t.size, `${what}: value count differs from size`);
  const dims = declared.shape?.dim;
  if (dims && !quirk?.shapeNotAsDeclared?.includes(vi.name ?? '')) {
    assert.equal(t.dims.length, dims.length, `${what}: rank [${t.dims}] differs from the declared rank ${dims.length}`);
    dims.forEach((d, i) => {
      if (d.dimValue !== null && d.dimValue !== undefined) {
        assert.equal(t.dims[i], Number(d.dimValue), `${what}: dim ${i} of [${t.dims}] differs from the declared ${String(d.dimValue)}`);
      }
    });
  }
}

/** Every decoded tensor file of a model, for the exact cross-check with onnxruntime's TensorProto parser. */
interface DecodedFile {
  readonly file: string;
  readonly proto: onnx.TensorProto;
  readonly decoded: DecodedTensor;
}

interface LoadedSet {
  readonly inputs: (DecodedTensor | undefined)[];
  readonly outputs: (DecodedTensor | undefined)[];
  /** Why some file of the set could not be decoded as a tensor (its declared kind), if any. */
  readonly nonTensor: string[];
}

async function loadSet(
  files: readonly string[],
  declared: readonly onnx.ValueInfoProto.$Properties[],
  role: 'input' | 'output',
  nonTensor: string[],
  modelId: string,
  decodedFiles: DecodedFile[],
): Promise<(DecodedTensor | undefined)[]> {
  assert.ok(files.length <= declared.length, `${files.length} ${role} files but the graph declares ${declared.length} ${role}s`);
  const out: (DecodedTensor | undefined)[] = [];
  for (let i = 0; i < files.length; i++) {
    const vi = declared[i]!;
    const kind = declaredKind(vi.type);
    if (kind !== 'tensor') {
      // SequenceProto / OptionalProto / MapProto files, not TensorProto.
      summary.pbSkippedByKind++;
      nonTensor.push(`${role} '${vi.name}' is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`);
      out.push(undefined);
      continue;
    }
    const t = await readTensorProtoFile(files[i]!);
    summary.tensorsDecoded++;
    checkAgainstDeclared(t, vi, `${role} ${i} ('${vi.name}', ${files[i]})`, modelId);
    decodedFiles.push({ file: files[i]!, proto: onnx.TensorProto.decode(readFileSync(files[i]!)), decoded: t });
    out.push(t);
  }
  return out;
}

/** UINT16 bit patterns (as ONNX 1.12 stored bfloat16 test data) decoded by the core as BFLOAT16. */
function asBfloat16(t: DecodedTensor): DecodedTensor {
  assert.ok(t.values instanceof Uint16Array);
  const raw = new Uint8Array(t.values.length * 2);
  const view = new DataView(raw.buffer);
  t.values.forEach((v, i) => view.setUint16(2 * i, v, true));
  return decodeTensorFields({ dataType: DataType.BFLOAT16, dims: t.dims, rawData: raw });
}

/** float32 whose upper 16 bits are `bits` (the definition of bfloat16), NaN payloads aside. */
function bfloat16Reference(bits: number): number {
  return new Float32Array(new Uint32Array([bits << 16]).buffer)[0]!;
}

/**
 * The Cast/CastLike bfloat16 tests, which onnxruntime-node cannot run: the core's BFLOAT16 decoding of the stored
 * bits must equal bfloat16's definition, and the FLOAT side of the test (exactly for BFLOAT16 → FLOAT; for
 * FLOAT → BFLOAT16 the bits must be the input's upper 16 bits, ONNX 1.12's reference truncating).
 */
function checkBfloat16Cast(
  id: string,
  sets: readonly LoadedSet[],
  declaredInputs: readonly onnx.ValueInfoProto.$Properties[],
  declaredOutputs: readonly onnx.ValueInfoProto.$Properties[],
): void {
  const toFloat = /BFLOAT16_to_FLOAT/.test(id);
  assert.equal((toFloat ? declaredInputs : declaredOutputs)[0]!.type!.tensorType!.elemType, DataType.BFLOAT16);
  for (const s of sets) {
    const bits = (toFloat ? s.inputs[0] : s.outputs[0])!;
    const floats = (toFloat ? s.outputs[0] : s.inputs[0])!.values as Float32Array;
    assert.ok(bits.values instanceof Uint16Array && floats instanceof Float32Array);
    const decoded = asBfloat16(bits);
    assert.equal(decoded.dataType, DataType.BFLOAT16);
    assert.deepEqual(decoded.dims, bits.dims);
    const got = decoded.values as Float32Array;
    const f32bits = new Uint32Array(floats.buffer, floats.byteOffset, floats.length);
    bits.values.forEach((b, i) => {
      const ref = bfloat16Reference(b);
      const what = `${id}: bfloat16 0x${b.toString(16)} (element ${i})`;
      if (Number.isNaN(ref)) {
        assert.ok(Number.isNaN(got[i]!) && Number.isNaN(floats[i]!), `${what}: NaN expected`);
        return;
      }
      assert.equal(got[i], ref, `${what}: the core decodes ${got[i]}, bfloat16 means ${ref}`);
      if (toFloat) assert.equal(got[i], floats[i], `${what}: the core decodes ${got[i]}, the FLOAT output is ${floats[i]}`);
      else assert.equal(b, f32bits[i]! >>> 16, `${what}: not the upper half of the FLOAT input ${floats[i]}`);
    });
    summary.bfloat16Checked += bits.values.length;
  }
}

/** The core's decoding of every tensor file must equal onnxruntime's own TensorProto parsing exactly. */
async function crossCheckWithOrt(files: readonly DecodedFile[]): Promise<void> {
  const checkable = files.filter((f) => ortTypeOf(f.proto.dataType) !== undefined);
  const ort = await decodeWithOrt(checkable.map((f) => f.proto));
  checkable.forEach((f, i) => {
    const diff = exactDifference(f.decoded, ort[i]!);
    assert.equal(diff, undefined, `${f.file}: the core's decoding differs from onnxruntime's TensorProto parser: ${diff}`);
    summary.tensorsCrossChecked++;
  });
}

async function checkModel(m: CorpusModel): Promise<void> {
  summary.models++;
  const model = await openModel(m.file);
  let graph: onnx.GraphProto.$Properties;
  try {
    const info = inspect(model);
    graph = model.proto.graph!;
    assert.equal(info.node_count, graph.node?.length ?? 0);
    assert.equal(info.outputs.length, graph.output?.length ?? 0);
    summary.opened++;
  } finally {
    await model.close();
  }
  const declaredInputs = graph.input ?? [];
  const declaredOutputs = graph.output ?? [];

  const sets: LoadedSet[] = [];
  const decodedFiles: DecodedFile[] = [];
  for (const ds of m.dataSets) {
    const nonTensor: string[] = [];
    const inputs = await loadSet(ds.inputs, declaredInputs, 'input', nonTensor, m.id, decodedFiles);
    const outputs = await loadSet(ds.outputs, declaredOutputs, 'output', nonTensor, m.id, decodedFiles);
    sets.push({ inputs, outputs, nonTensor });
  }
  await crossCheckWithOrt(decodedFiles);
  if (sets.length === 0) return;
  if (DATA_QUIRKS.get(m.id)?.storedAs?.declared === DataType.BFLOAT16) checkBfloat16Cast(m.id, sets, declaredInputs, declaredOutputs);

  const inputKindProblem = sets.flatMap((s) => s.nonTensor.filter((r) => r.startsWith('input')));
  const unsupportedDtype = sets
    .flatMap((s) => [...s.inputs, ...s.outputs])
    .find((t) => t !== undefined && !ortTypeOf(t.dataType));

  let session;
  try {
    session = await createSession(m.file, { intraOpNumThreads: 1 });
  } catch (e) {
    if (!isRuntimeError(e) || e.code !== 'ort-refused') throw e;
    summary.ortRefused.push(`${m.id}: ${(e.ortMessage ?? e.message).split('\n')[0]}`);
    return;
  }
  try {
    if (inputKindProblem.length > 0) {
      summary.skippedByKind.push(`${m.id}: ${inputKindProblem[0]}`);
      return;
    }
    if (unsupportedDtype) {
      summary.skippedByKind.push(`${m.id}: element type ${dataTypeName(unsupportedDtype.dataType)} (not exchangeable with onnxruntime-node)`);
      return;
    }
    const tensorOutputs = new Set(session.outputMetadata.filter((o) => o.isTensor).map((o) => o.name));
    const allowed = ALLOWANCES.get(m.id);
    const compareOptions: CompareOptions =
      allowed?.kind === 'random'
        ? { values: 'ignore' }
        : allowed?.kind === 'tolerance'
          ? { tolerance: allowed.tolerance }
          : allowed?.kind === 'strings-as-float32'
            ? { values: 'strings-as-float32' }
            : {};
    const deviations: string[] = [];
    const problems: string[] = [];
    let comparedHere = 0;
    for (const [si, s] of sets.entries()) {
      const feeds: Record<string, OrtTensor> = {};
      s.inputs.forEach((t, i) => (feeds[declaredInputs[i]!.name!] = toOrtTensor(t!)));
      s.inputs.forEach((t) => countDtype(t!));
      const fetch = declaredOutputs
        .map((o, i) => ({ name: o.name!, expected: s.outputs[i] }))
        .filter((o) => o.expected !== undefined && tensorOutputs.has(o.name));
      if (fetch.length === 0) continue;
      let result;
      try {
        result = await session.run(feeds, fetch.map((f) => f.name));
      } catch (e) {
        problems.push(`data set ${si}: onnxruntime run failed: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      for (const f of fetch) {
        const actual = fromOrtTensor(result[f.name] as OrtTensor, f.name);
        summary.outputsCompared++;
        comparedHere++;
        countDtype(f.expected!);
        if (allowed?.kind === 'ort-deviation') {
          // Known to differ in values: dtype and shape must still match; the values must (still) differ.
          const shapeWhy = mismatch(actual, f.expected!, { values: 'ignore' });
          if (shapeWhy) problems.push(`data set ${si}, output '${f.name}': ${shapeWhy}`);
          else if (mismatch(actual, f.expected!)) deviations.push(f.name);
          continue;
        }
        const why = mismatch(actual, f.expected!, compareOptions);
        if (why) problems.push(`data set ${si}, output '${f.name}': ${why}`);
        else if (allowed && allowed.kind !== 'random' && mismatch(actual, f.expected!)) deviations.push(f.name);
      }
    }
    if (comparedHere === 0) {
      summary.skippedByKind.push(`${m.id}: no tensor output to compare (${sets[0]!.nonTensor.join('; ') || 'non-tensor outputs'})`);
      return;
    }
    assert.deepEqual(problems, [], `${m.id}: onnxruntime's outputs on our decoded inputs differ from our decoded expected outputs`);
    if (allowed && allowed.kind !== 'random') {
      // An exception that is no longer needed would hide a future regression: it must go.
      assert.ok(deviations.length > 0, `${m.id} is allow-listed (${allowed.kind}) but now matches exactly as strict: remove it from allow-list.ts`);
    }
    if (allowed) summary.allowListed.push(`${m.id} (${allowed.kind})`);
    else summary.compared++;
  } finally {
    await session.release();
  }
}

describe('corpus: ONNX backend test data (libonnx-testdata)', function () {
  this.timeout(60000);
  const root = testDataRootOrMissingTest();

  after(() => {
    disposeOracle();
    if (!root) {
      console.log('\n  corpus summary: libonnx-testdata not installed: corpus skipped');
      return;
    }
    if (process.env.PTP_CORPUS_VERBOSE) {
      for (const r of summary.ortRefused) console.log(`    ORT-refused ${r}`);
      for (const r of summary.skippedByKind) console.log(`    skipped ${r}`);
      for (const r of summary.allowListed) console.log(`    allow-listed ${r}`);
    }
    console.log(
      `\n  corpus summary: ${summary.opened}/${summary.models} models opened / ${summary.tensorsDecoded} tensors decoded ` +
        `(${summary.tensorsCrossChecked} bit-exact with onnxruntime's TensorProto parser) / ` +
        `${summary.compared} runnable compared (${summary.outputsCompared} outputs) / ${summary.ortRefused.length} ORT-refused / ` +
        `${summary.skippedByKind.length} skipped-by-kind (${summary.pbSkippedByKind} non-tensor .pb files) / ` +
        `${summary.allowListed.length} allow-listed / ${summary.bfloat16Checked} bfloat16 values checked`,
    );
    const dtypes = [...summary.dtypesThroughOrt].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`  corpus tensors through onnxruntime by element type: ${dtypes.join(', ')}`);
  });

  if (!root) return;

  const corpus = listCorpus(root);
  it('finds the models', () => assert.ok(corpus.length > 100, `only ${corpus.length} models under ${root}`));
  const categories = [...new Set(corpus.map((m) => m.id.split('/')[0]!))];
  for (const category of categories) {
    describe(category, () => {
      for (const m of corpus.filter((c) => c.id.startsWith(`${category}/`))) it(m.id.slice(category.length + 1), () => checkModel(m));
    });
  }
});
