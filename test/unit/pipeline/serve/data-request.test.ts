/** A test request from a data file: the first rows mapped onto the served model's inputs like ptp evaluate maps them. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inputSummaries, requestFromData, ServeError } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';

const digits = join(REPO_ROOT, 'examples', 'digits', 'digits_test.csv');

describe('serve: a test request from a data file', () => {
  it('the model metadata becomes input summaries (dynamic dims unknown, ONNX element types)', () => {
    assert.deepEqual(inputSummaries([{ name: 'x', datatype: 'FP32', shape: [-1, 64] }]), [{ name: 'x', kind: 'tensor', elem_type: 'FLOAT', shape: [null, 64] }]);
    assert.equal(inputSummaries([{ name: 's', datatype: 'BYTES', shape: [-1] }])[0]!.elem_type, 'STRING');
  });

  it('digits: the first 3 rows, the 64 pixel columns into [3,64] FP32, the label set aside', async () => {
    const r = await requestFromData(digits, [{ name: 'pixels', datatype: 'FP32', shape: [-1, 64] }], 3);
    assert.equal(r.rows, 3);
    assert.equal(r.inputs.length, 1);
    const [t] = r.inputs;
    assert.deepEqual([t!.name, t!.datatype, t!.shape], ['pixels', 'FP32', [3, 64]]);
    assert.ok(t!.data instanceof Float32Array);
    assert.deepEqual(Array.from((t!.data as Float32Array).slice(0, 4)), [0, 0, 7, 16]);
    assert.ok(r.plan.some((l) => /pixels/.test(l)));
  });

  it('an image-shaped input gets the rows as [n,1,8,8]; a fixed batch size takes exactly that many rows', async () => {
    const img = await requestFromData(digits, [{ name: 'image', datatype: 'FP32', shape: [-1, 1, 8, 8] }], 2);
    assert.deepEqual(img.inputs[0]!.shape, [2, 1, 8, 8]);
    const fixed = await requestFromData(digits, [{ name: 'x', datatype: 'FP32', shape: [1, 64] }], 5);
    assert.equal(fixed.rows, 1);
    assert.deepEqual(fixed.inputs[0]!.shape, [1, 64]);
  });

  it('refuses a bad row count and names a missing file', async () => {
    await assert.rejects(requestFromData(digits, [{ name: 'x', datatype: 'FP32', shape: [-1, 64] }], 0), ServeError);
    await assert.rejects(requestFromData(join(REPO_ROOT, 'no-such.csv'), [{ name: 'x', datatype: 'FP32', shape: [-1, 64] }], 1), /no-such\.csv/);
  });
});
