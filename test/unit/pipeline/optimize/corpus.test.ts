/**
 * A selection of ONNX's backend test models (found by test/helpers/testdata.ts; required when CI=true): all our passes run without
 * errors or rejections, and where onnxruntime runs the original, the optimized model gives the same outputs
 * on the test's own inputs (test_data_set_0), not only on our random sample inputs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openModel, readTensorProtoFile, validate } from '../../../../src/core';
import type { DecodedTensor } from '../../../../src/core/tensor/types';
import { optimizeModel } from '../../../../src/pipeline/optimize';
import { compareTensors } from '../../../../src/pipeline/optimize/verify';
import { createSession, fromOrtTensor, toOrtTensor, type OrtTensor } from '../../../../src/pipeline/runtime';
import { testDataRootOrMissingTest } from '../../../helpers/testdata';
import { TempDir } from './helpers';

const SELECTION = [
  'pytorch-converted/test_BatchNorm2d_eval',
  'pytorch-converted/test_BatchNorm1d_3d_input_eval',
  'pytorch-converted/test_Conv2d',
  'pytorch-converted/test_Conv2d_depthwise_padded',
  'pytorch-converted/test_Conv1d_groups',
  'pytorch-converted/test_Linear',
  'pytorch-converted/test_Linear_no_bias',
  'pytorch-converted/test_PixelShuffle',
  'pytorch-operator/test_operator_conv',
  'pytorch-operator/test_operator_addmm',
  'pytorch-operator/test_operator_view',
  'pytorch-operator/test_operator_permute2',
  'pytorch-operator/test_operator_flatten',
  'pytorch-operator/test_operator_repeat_dim_overflow',
  'node/test_batchnorm_example',
  'node/test_batchnorm_epsilon',
  'node/test_basic_conv_with_padding',
  'node/test_conv_with_strides_padding',
  'node/test_gemm_all_attributes',
  'node/test_gemm_default_vector_bias',
  'node/test_matmul_2d',
  'node/test_matmul_4d',
  'node/test_transpose_default',
  'node/test_reshape_reordered_all_dims',
  'node/test_flatten_axis1',
  'node/test_identity',
  'node/test_dropout_default',
  'node/test_layer_normalization_4d_axis1_expanded',
  'node/test_layer_normalization_default_axis_expanded',
  'node/test_logsoftmax_axis_1_expanded',
  'node/test_hannwindow_expanded',
  'node/test_dynamicquantizelinear_expanded',
  'node/test_sce_mean_log_prob_expanded',
  'node/test_mvn_expanded',
];

/** The test's inputs in graph order, or undefined when there are none to read. */
async function testInputs(dir: string, model: string): Promise<Record<string, DecodedTensor> | undefined> {
  const set = join(dir, 'test_data_set_0');
  if (!existsSync(set)) return undefined;
  const m = await openModel(model);
  const inits = new Set((m.proto.graph!.initializer ?? []).map((t) => t.name));
  const names = (m.proto.graph!.input ?? []).map((i) => i.name!).filter((n) => !inits.has(n));
  await m.close();
  const files = readdirSync(set).filter((f) => /^input_\d+\.pb$/.test(f)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  if (files.length !== names.length) return undefined;
  const feeds: Record<string, DecodedTensor> = {};
  for (let i = 0; i < files.length; i++) feeds[names[i]!] = await readTensorProtoFile(join(set, files[i]!));
  return feeds;
}

/** Tensor outputs of `file` on `inputs`, or undefined when onnxruntime cannot load or run it. */
async function run(file: string, inputs: Record<string, DecodedTensor>): Promise<Map<string, DecodedTensor> | undefined> {
  let session;
  try {
    session = await createSession(file, { graphOptimizationLevel: 'disabled' });
  } catch {
    return undefined;
  }
  try {
    const feeds: Record<string, OrtTensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = toOrtTensor(v);
    const names = session.outputMetadata.filter((o) => o.isTensor).map((o) => o.name);
    const out = await session.run(feeds, names);
    return new Map(names.map((n) => [n, fromOrtTensor(out[n] as OrtTensor, n)]));
  } catch {
    return undefined;
  } finally {
    await session.release();
  }
}

describe('optimize: libonnx-testdata selection', function () {
  this.timeout(120000);
  const root = testDataRootOrMissingTest();
  if (!root) return;
  let tmp: TempDir;
  before(() => {
    tmp = new TempDir();
  });
  after(() => tmp?.dispose());

  it('runs every pass on each model without errors or rejections, outputs unchanged on the test inputs', async () => {
    let compared = 0;
    let changed = 0;
    for (const rel of SELECTION) {
      const dir = join(root, rel);
      const model = join(dir, 'model.onnx');
      if (!existsSync(model)) continue;
      const out = tmp.path(`${rel.replace(/\//g, '_')}.onnx`);
      const r = await optimizeModel({ model, output: out });
      for (const p of r.passes) assert.equal(p.rejected, false, `${rel}: ${p.name} rejected (${p.message})`);
      if (r.verification.available) assert.ok(r.max_abs_diff !== null && r.max_abs_diff <= 1e-4, `${rel}: max |diff| ${r.max_abs_diff}`);
      if (r.passes.some((p) => p.changes > 0)) changed++;
      const [before, after] = await Promise.all([model, out].map(async (f) => {
        const m = await openModel(f);
        try {
          return (await validate(m)).errors;
        } finally {
          await m.close();
        }
      }));
      assert.ok(after! <= before!, `${rel}: ${after} structural errors after, ${before} before`);
      const inputs = await testInputs(dir, model);
      const expected = inputs && (await run(model, inputs));
      if (!inputs || !expected) continue;
      const got = await run(out, inputs);
      assert.ok(got, `${rel}: onnxruntime runs the optimized model`);
      for (const [name, ref] of expected) {
        const c = compareTensors(ref, got.get(name), { rtol: 1e-4, atol: 1e-5 });
        assert.ok(c.ok, `${rel}: output ${name}: ${c.message}`);
      }
      compared++;
    }
    assert.ok(compared >= 20, `compared ${compared} models`);
    assert.ok(changed >= 10, `passes changed ${changed} models`);
  });
});
