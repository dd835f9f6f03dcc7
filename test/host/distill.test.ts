import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DistillResult } from '../../src/protocol/distill';
import type { DistillReportSnapshot } from '../../src/protocol/distill-panel';
import type { PruneResult } from '../../src/protocol/prune';
import { activateExtension, fixture, waitFor } from './util';

/** The parts of the extension's API (PtpExtensionApi) these tests use. */
interface DistillTestApi {
  readonly distillation: { panelSnapshot(model: string): DistillReportSnapshot | undefined };
}

function accuracy(m: DistillResult['metrics_student']): number {
  return m && 'accuracy' in m && typeof m.accuracy === 'number' ? m.accuracy : NaN;
}

export default function (): void {
  describe('distillation command', () => {
    let api: DistillTestApi;

    before(async () => {
      api = (await activateExtension()).api as unknown as DistillTestApi;
    });

    it('Distill Model (MLP 16, digits CSV) trains a smaller student that onnxruntime scores, with per-epoch losses in the report', async function () {
      this.timeout(240_000);
      const model = fixture('digits_mlp.onnx');
      const output = fixture('digits_mlp.mlp16.onnx').fsPath;
      const result = await vscode.commands.executeCommand<DistillResult>('ptp.distillModel', model, {
        data: fixture('digits_test.csv').fsPath,
        label: 'label',
        student: { kind: 'mlp', hidden: [16] },
        epochs: 100,
        output,
      });
      assert.ok(result && typeof result === 'object', `ptp.distillModel returned ${JSON.stringify(result)}`);
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.ok(result.params_student < result.params_teacher, `params ${result.params_teacher} → ${result.params_student}`);
      assert.equal(result.history.length, result.epochs_run);
      assert.ok(result.epochs_run >= 1 && result.epochs_run <= 100, `epochs run ${result.epochs_run}`);
      assert.ok(result.history.every((e) => Number.isFinite(e.train_loss) && Number.isFinite(e.val_loss)), 'losses must be finite');
      assert.ok(accuracy(result.metrics_teacher) > 0.8, `teacher accuracy ${accuracy(result.metrics_teacher)}`);
      assert.ok(accuracy(result.metrics_student) > 0.5, `student accuracy ${accuracy(result.metrics_student)}`);

      const shown = await waitFor('the Distillation report', () => api.distillation.panelSnapshot(model.fsPath), 10_000);
      assert.equal(shown.result.best_epoch, result.best_epoch);
      assert.equal(accuracy(shown.result.metrics_student), accuracy(result.metrics_student));
      assert.equal(shown.result.history.length, result.history.length);
    });

    it('Distill Model trains a pruned copy as the student (keepZeros), keeping its size, and the report names the student file', async function () {
      this.timeout(240_000);
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const pruned = fixture('digits_mlp.pruned70.onnx').fsPath;
      const output = fixture('digits_mlp.pruned70.trained.onnx').fsPath;
      const prunedResult = await vscode.commands.executeCommand<PruneResult>('ptp.pruneModel', model, { method: 'magnitude', sparsity: 0.7, output: pruned });
      assert.ok(fs.existsSync(pruned), `${pruned} was not written`);
      const result = await vscode.commands.executeCommand<DistillResult>('ptp.distillModel', model, {
        data,
        label: 'label',
        student: { kind: 'model', path: pruned, keepZeros: true },
        epochs: 5,
        output,
      });
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.deepEqual(result.student, { kind: 'model', path: pruned, keepZeros: true });
      // A trained copy of the same graph: every initializer keeps its size.
      assert.equal(result.params_student, prunedResult.params_after);
      assert.ok(result.epochs_run >= 1 && result.epochs_run <= 5, `epochs run ${result.epochs_run}`);
      assert.ok(accuracy(result.metrics_student) > 0.5, `student accuracy ${accuracy(result.metrics_student)}`);
      const shown = await waitFor('the Distillation report of the pruned student', () => {
        const s = api.distillation.panelSnapshot(model.fsPath);
        return s?.result.output === output ? s : undefined;
      }, 10_000);
      assert.deepEqual(shown.result.student, result.student);
    });

    it('Distill Model refuses a student model given by a relative path', async function () {
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.distillModel', model, { data, student: { kind: 'model', path: 'digits_mlp.pruned.onnx' } })), /"student\.path"/);
    });

    it('Distill Model refuses a bad student and never writes over the teacher', async function () {
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.distillModel', model, { data, student: { kind: 'mlp', hidden: [0] } })), /student\.hidden/);
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.distillModel', model, { data, output: model.fsPath })), /teacher/);
    });
  });
}
