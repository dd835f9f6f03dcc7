import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PruneResult, PruneSensitivityResult } from '../../src/protocol/prune';
import type { PruneReportSnapshot } from '../../src/protocol/prune-panel';
import { activateExtension, fixture, waitFor, tabsOf } from './util';

/** The parts of the extension's API (PtpExtensionApi) these tests use. */
interface PruneTestApi {
  readonly overlays: {
    get(model: string): { overlay: { id: string; unit: string; values: Readonly<Record<string, number>> } } | undefined;
  };
  readonly pruning: {
    panelSnapshot(model: string): PruneReportSnapshot | undefined;
    runSensitivity(model: string): Promise<PruneSensitivityResult | null>;
  };
}


function accuracy(m: PruneResult['metrics_before']): number {
  return m && 'accuracy' in m && typeof m.accuracy === 'number' ? m.accuracy : NaN;
}

export default function (): void {
  describe('pruning commands', () => {
    let api: PruneTestApi;

    before(async () => {
      api = (await activateExtension()).api as unknown as PruneTestApi;
    });

    it('Prune Model (magnitude, global 50%, digits CSV) writes a sparse copy, reports accuracy before/after in the panel and sets the sparsity overlay', async function () {
      this.timeout(180_000);
      const model = fixture('digits_cnn.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const output = fixture('digits_cnn.global50.onnx').fsPath;
      const result = await vscode.commands.executeCommand<PruneResult>('ptp.pruneModel', model, { method: 'magnitude', scope: 'global', sparsity: 0.5, data, label: 'label', output });
      assert.ok(result && typeof result === 'object', `ptp.pruneModel returned ${JSON.stringify(result)}`);
      assert.equal(result.output, output);
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.ok(Math.abs(result.achieved_weight_sparsity - 0.5) < 0.02, `achieved sparsity ${result.achieved_weight_sparsity}`);
      const before = accuracy(result.metrics_before);
      const after = accuracy(result.metrics_after);
      assert.ok(before > 0.9 && before <= 1, `accuracy before ${before}`);
      assert.ok(after > 0.5 && after <= 1, `accuracy after ${after}`);
      assert.ok(result.layers.length >= 2, `layers: ${JSON.stringify(result.layers)}`);

      // The numbers onnxruntime measured are what the open report shows.
      const shown = await waitFor('the Pruning report', () => api.pruning.panelSnapshot(model.fsPath), 10_000);
      assert.equal(shown.result.achieved_weight_sparsity, result.achieved_weight_sparsity);
      assert.equal(accuracy(shown.result.metrics_after), after);
      assert.equal(shown.sensitivity, null);
      await waitFor('a Pruning report tab', () => tabsOf('ptp.pruning').length > 0, 10_000);

      // The overlay sits on the SOURCE model, keyed by its node names.
      const overlay = api.overlays.get(model.fsPath);
      assert.equal(overlay?.overlay.id, 'prune-sparsity');
      assert.equal(overlay?.overlay.unit, '%');
      for (const l of result.layers.filter((x) => x.status !== 'excluded')) {
        const v = overlay?.overlay.values[l.name];
        assert.ok(v !== undefined && Math.abs(v - 100 * l.sparsity) < 0.1, `overlay value of ${l.name}: ${v} (sparsity ${l.sparsity})`);
      }
    });

    it('Sensitivity analysis of the last run sweeps every layer on the same data and reaches the panel', async function () {
      this.timeout(180_000);
      const model = fixture('digits_cnn.onnx').fsPath;
      const result = await api.pruning.runSensitivity(model);
      assert.ok(result, 'no sensitivity result');
      assert.equal(result.metric, 'accuracy');
      assert.ok(result.baseline !== null && result.baseline > 0.9, `baseline ${result.baseline}`);
      assert.ok(result.layers.length >= 2, `layers: ${result.layers.map((l) => l.name).join(', ')}`);
      for (const l of result.layers) {
        assert.ok(l.points.length >= 3, `${l.name} has ${l.points.length} points`);
        assert.ok(l.points.every((p) => p.value === null || (p.value >= 0 && p.value <= 1)), `${l.name}: ${JSON.stringify(l.points)}`);
      }
      const shown = api.pruning.panelSnapshot(model);
      assert.deepEqual(shown?.sensitivity?.layers.map((l) => l.name), result.layers.map((l) => l.name));
    });

    it('Prune Model (structured 25%) on the digits CNN shrinks the tensors, and onnxruntime scores the smaller model', async function () {
      this.timeout(180_000);
      const model = fixture('digits_cnn.onnx');
      const output = fixture('digits_cnn.structured25.onnx').fsPath;
      const result = await vscode.commands.executeCommand<PruneResult>('ptp.pruneModel', model, { method: 'structured', sparsity: 0.25, data: fixture('digits_test.csv').fsPath, label: 'label', output });
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.ok(result.params_after < result.params_before, `params ${result.params_before} → ${result.params_after}`);
      assert.ok(result.size_bytes_after < result.size_bytes_before, `size ${result.size_bytes_before} → ${result.size_bytes_after}`);
      const conv = result.layers.find((l) => l.op_type === 'Conv' && l.channels_before !== undefined);
      assert.ok(conv && conv.channels_after! < conv.channels_before!, `conv layer: ${JSON.stringify(conv)}`);
      assert.ok(accuracy(result.metrics_after) > 0.5, `accuracy after ${accuracy(result.metrics_after)}`);
      const overlay = api.overlays.get(model.fsPath);
      assert.ok((overlay?.overlay.values[conv.name] ?? 0) > 0, `overlay of ${conv.name}: ${JSON.stringify(overlay?.overlay.values)}`);
    });

    it('Prune Model (structured 25%) on the digits ResNet with fine-tuning on digits_train.csv recovers the accuracy, and the report has the fine-tuning', async function () {
      this.timeout(300_000);
      const model = fixture('digits_resnet.onnx');
      const train = fixture('digits_train.csv').fsPath;
      const output = fixture('digits_resnet.structured25.finetuned.onnx').fsPath;
      const result = await vscode.commands.executeCommand<PruneResult>('ptp.pruneModel', model, {
        method: 'structured',
        sparsity: 0.25,
        data: fixture('digits_test.csv').fsPath,
        label: 'label',
        output,
        finetune: { data: train, label: 'label', epochs: 2 },
      });
      assert.ok(result && typeof result === 'object', `ptp.pruneModel returned ${JSON.stringify(result)}`);
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.ok(result.params_after < result.params_before, `params ${result.params_before} → ${result.params_after}`);
      const f = result.finetune;
      assert.ok(f, 'the result has no finetune part');
      assert.equal(f.data, train);
      assert.ok(f.epochs_run >= 1 && f.epochs_run <= 2, `epochs run ${f.epochs_run}`);
      assert.equal(f.history.length, f.epochs_run);
      assert.ok(f.best_epoch >= 1 && f.best_epoch <= f.epochs_run, `best epoch ${f.best_epoch}`);
      assert.ok(f.train_rows > 0 && f.validation_rows > 0, `rows ${f.train_rows} / ${f.validation_rows}`);
      assert.ok(f.history.every((e) => Number.isFinite(e.train_loss) && Number.isFinite(e.val_loss)), 'losses must be finite');
      // Without fine-tuning this pruning leaves about 0.2; the fine-tuned model is what metrics_after measures.
      assert.ok(accuracy(result.metrics_before) > 0.95, `accuracy before ${accuracy(result.metrics_before)}`);
      assert.ok(accuracy(result.metrics_after) >= 0.9, `accuracy after fine-tuning ${accuracy(result.metrics_after)}`);

      const shown = await waitFor('the Pruning report with fine-tuning', () => api.pruning.panelSnapshot(model.fsPath)?.result.finetune, 10_000);
      assert.deepEqual(shown.history, f.history);
      assert.equal(accuracy(api.pruning.panelSnapshot(model.fsPath)?.result.metrics_after ?? null), accuracy(result.metrics_after));
    });

    it('Prune Model refuses fine-tuning without training data, naming the argument', async function () {
      const model = fixture('digits_resnet.onnx');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.pruneModel', model, { method: 'structured', finetune: { epochs: 2 } })), /"finetune\.data"/);
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.pruneModel', model, { method: 'structured', finetune: { data: fixture('digits_train.csv').fsPath, epochs: 5000 } })), /"finetune\.epochs"/);
    });

    it('Prune Model explains a layer that cannot be pruned structurally, without a stack, and writes nothing', async function () {
      this.timeout(90_000);
      const model = fixture('digits_cnn.onnx');
      const output = fixture('digits_cnn.bad.onnx').fsPath;
      // The last Gemm produces the model output: removing its neurons would change the model's interface.
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.pruneModel', model, { method: 'structured', layers: ['/fc/Gemm'], output })), (e: Error) => {
        assert.match(e.message, /\/fc\/Gemm/);
        assert.doesNotMatch(e.message, /\n\s+at /, 'the message must not carry a stack trace');
        return true;
      });
      assert.ok(!fs.existsSync(output), 'nothing may be written for a failed run');
    });

    it('Prune Model refuses a sparsity outside (0, 1) and never writes over the source model', async function () {
      const model = fixture('digits_cnn.onnx');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.pruneModel', model, { method: 'magnitude', sparsity: 1.5 })), /strictly between 0 and 1/);
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.pruneModel', model, { method: 'magnitude', output: model.fsPath })), /source model/);
    });
  });
}
