import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SampleResult } from '../../src/protocol/worker';
import { activateExtension, fixture } from './util';

export default function (): void {
  describe('run sample inputs', () => {
    it('runs tiny.onnx in onnxruntime and returns output Y with shape [1, 3]', async function () {
      this.timeout(120_000); // first run forks the worker and loads onnxruntime
      await activateExtension();
      const uri = fixture('tiny.onnx');
      const result = await vscode.commands.executeCommand<SampleResult | undefined>('ptp.runSampleInputs', uri);
      assert.ok(result && typeof result === 'object', `ptp.runSampleInputs returned ${JSON.stringify(result)}`);
      assert.deepEqual(
        result.inputs.map((i) => ({ name: i.name, shape: [...i.shape] })),
        [{ name: 'X', shape: [1, 4] }], // symbolic batch dim N defaults to 1
      );
      assert.equal(result.outputs.length, 1, `outputs: ${JSON.stringify(result.outputs)}`);
      const y = result.outputs[0]!;
      assert.equal(y.name, 'Y');
      assert.deepEqual([...y.shape], [1, 3]);
      assert.match(y.elem_type, /^(FLOAT|float32?)$/i); // ONNX enum name (or onnxruntime's name)
      if (y.stats) {
        assert.equal(y.stats.count, 3);
        assert.ok(y.stats.min === null || y.stats.min >= 0, 'Y = Relu(...) must be non-negative');
      }
    });
  });
}
