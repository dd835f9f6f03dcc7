import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tempOwner } from '../../src/core/temp-files';
import type { EvaluateResult } from '../../src/protocol/evaluate';
import type { QuantizeResult } from '../../src/protocol/quantize';
import { activateExtension, fixture, waitFor } from './util';

interface SurviveApi {
  readonly worker: { busyPids(): number[] };
}

/** Starts `run`, SIGKILLs the worker process serving it as soon as it is busy, and returns the rejection. */
async function killDuring(api: SurviveApi, run: () => Thenable<unknown>): Promise<Error> {
  const pending = Promise.resolve(run()).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const pid = await waitFor('a busy worker process', () => api.worker.busyPids()[0], 20_000);
  process.kill(pid, 'SIGKILL');
  const error = await pending;
  assert.ok(error, 'the operation finished before its worker could be killed');
  return error;
}

export default function (): void {
  describe('the extension host survives a killed worker', () => {
    let api: SurviveApi;
    before(async () => {
      api = (await activateExtension()).api as unknown as SurviveApi;
    });

    it('kill the worker mid-evaluation: an error, then the next evaluation works', async function () {
      this.timeout(180_000);
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const error = await killDuring(api, () => vscode.commands.executeCommand('ptp.evaluateModel', model, { data, label: 'label', robustness: true }));
      assert.match(error.message, /worker stopped unexpectedly|signal SIGKILL/i);
      const again = await vscode.commands.executeCommand<EvaluateResult>('ptp.evaluateModel', model, { data, label: 'label' });
      assert.ok(again.metrics && 'accuracy' in again.metrics && again.metrics.accuracy > 0.9, 'the next evaluation works');
    });

    it('kill the worker mid-quantization: an error, nothing half-written, then the next quantization works', async function () {
      this.timeout(180_000);
      const model = fixture('digits_resnet.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const output = fixture('digits_resnet.survive.onnx').fsPath;
      fs.rmSync(output, { force: true });
      const error = await killDuring(api, () => vscode.commands.executeCommand('ptp.quantizeModel', model, { mode: 'static', data, output }));
      assert.match(error.message, /worker stopped unexpectedly|signal SIGKILL/i);
      assert.ok(!fs.existsSync(output), 'no output from the killed run');
      const r = await vscode.commands.executeCommand<QuantizeResult>('ptp.quantizeModel', model, { mode: 'static', data, output });
      assert.equal(r.output, output);
      assert.ok(fs.statSync(output).size > 0);
      const temps = fs.readdirSync(path.dirname(output)).filter((n) => tempOwner(n) !== undefined);
      assert.deepEqual(temps, [], 'the killed run\'s temp files are gone after the next run');
      fs.rmSync(output, { force: true });
    });
  });
}
