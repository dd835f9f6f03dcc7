import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tempOwner } from '../../src/core/temp-files';
import type { EvaluateResult } from '../../src/protocol/evaluate';
import type { QuantizeResult } from '../../src/protocol/quantize';
import { activateExtension, fixture } from './util';

interface SurviveApi {
  readonly worker: { busy(): readonly { readonly pid: number; readonly op: string }[] };
}

/**
 * Starts `run`, SIGKILLs the worker process running its `op` as soon as that op is running (not any other busy
 * process: an editor may have work of its own in flight), and returns the rejection.
 */
async function killDuring(api: SurviveApi, op: string, run: () => Thenable<unknown>): Promise<Error> {
  let settled = false;
  const pending = Promise.resolve(run()).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  void pending.finally(() => (settled = true));
  // Polled every 5 ms, not waitFor's 100: on a warm worker a small operation is over in a few hundred ms.
  let pid: number | undefined;
  for (const deadline = Date.now() + 20_000; pid === undefined && Date.now() < deadline; ) {
    pid = settled ? -1 : api.worker.busy().find((b) => b.op === op)?.pid;
    if (pid === undefined) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(pid !== undefined, `no worker process ran '${op}' within 20 s`);
  assert.notEqual(pid, -1, `the '${op}' finished before its worker could be seen busy (busy now: ${JSON.stringify(api.worker.busy())})`);
  process.kill(pid, 'SIGKILL');
  const error = await pending;
  assert.ok(error, `the '${op}' finished before its worker could be killed`);
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
      // The ResNet with robustness: seconds of work, so the kill lands mid-run even on a warm worker.
      const model = fixture('digits_resnet.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const error = await killDuring(api, 'evaluate', () => vscode.commands.executeCommand('ptp.evaluateModel', model, { data, label: 'label', robustness: true }));
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
      const error = await killDuring(api, 'quantize', () => vscode.commands.executeCommand('ptp.quantizeModel', model, { mode: 'static', data, output }));
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
