import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { OptimizeResult } from '../../src/protocol/optimize';
import type { QuantizeResult } from '../../src/protocol/quantize';
import { activateExtension, fixture, waitFor, tabsOf } from './util';

/** The parts of the extension's API (PtpExtensionApi) these tests use. */
interface QuantizeTestApi {
  readonly overlays: {
    get(model: string): { overlay: { id: string; values: Readonly<Record<string, number>> }; actions?: readonly { id: string }[] } | undefined;
    runAction(model: string, actionId: string, node: string): Promise<void>;
  };
  readonly quantization: { lastResult(model: string): QuantizeResult | undefined };
}


export default function (): void {
  describe('quantization and optimization commands', () => {
    let api: QuantizeTestApi;

    before(async () => {
      api = (await activateExtension()).api as unknown as QuantizeTestApi;
    });

    it('Quantize Model (static, digits CSV) shrinks the MLP, keeps its accuracy and reports per-node SQNR', async function () {
      this.timeout(120_000);
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const output = fixture('digits_mlp.static.onnx').fsPath;
      const result = await vscode.commands.executeCommand<QuantizeResult>('ptp.quantizeModel', model, { mode: 'static', data, output });
      assert.ok(result && typeof result === 'object', `ptp.quantizeModel returned ${JSON.stringify(result)}`);
      assert.equal(result.output, output);
      assert.ok(fs.existsSync(result.output), `${result.output} was not written`);
      assert.ok(result.size_bytes_after < result.size_bytes_before, `size ${result.size_bytes_before} → ${result.size_bytes_after}`);
      const before = result.metrics_before && 'accuracy' in result.metrics_before ? result.metrics_before.accuracy : NaN;
      const after = result.metrics_after && 'accuracy' in result.metrics_after ? result.metrics_after.accuracy : NaN;
      assert.ok(Math.abs(after - before) <= 0.01, `accuracy ${before} → ${after}`);
      assert.ok(result.nodes.length > 0, 'no per-node report');
      assert.equal(result.recipe_file, undefined, 'no recipe file unless asked');
      assert.ok(!fs.existsSync(model.fsPath.replace(/\.onnx$/, '.quantize.json')), 'nothing is written beside the source model');
      assert.equal(result.lineage.operation, 'quantize');
      assert.deepEqual(result.lineage.params, result.recipe, "the output's ptp.lineage holds the recipe");

      const overlay = api.overlays.get(model.fsPath);
      assert.equal(overlay?.overlay.id, 'quantize-sqnr');
      assert.ok(Object.keys(overlay?.overlay.values ?? {}).length > 0, 'the SQNR overlay has no values');
      assert.deepEqual(overlay?.actions?.map((a) => a.id), ['quantize.exclude']);
      await waitFor('a Quantization report tab', () => tabsOf('ptp.quantization').length > 0, 10_000);
    });

    it('the graph action "Exclude from quantization" re-quantizes with that node left in float', async function () {
      this.timeout(120_000);
      // Its own starting state: a fresh static quantization (not the previous test's run).
      const modelUri = fixture('digits_mlp.onnx');
      const model = modelUri.fsPath;
      const output = fixture('digits_mlp.exclude-action.onnx').fsPath;
      const first = await vscode.commands.executeCommand<QuantizeResult>('ptp.quantizeModel', modelUri, { mode: 'static', data: fixture('digits_test.csv').fsPath, output });
      assert.ok(first && api.quantization.lastResult(model) === first, 'the quantization is not the last result of digits_mlp.onnx');
      const node = first.nodes.find((n) => n.status === 'quantized' && n.weight)?.name;
      assert.ok(node, 'no quantized node with a weight');
      await api.overlays.runAction(model, 'quantize.exclude', node);
      const again = api.quantization.lastResult(model);
      assert.ok(again && again !== first, 'the action did not produce a new result');
      assert.ok(again.recipe.exclude.includes(node), `recipe.exclude = ${JSON.stringify(again.recipe.exclude)}`);
      assert.equal(again.nodes.find((n) => n.name === node)?.status, 'excluded', `nodes: ${JSON.stringify(again.nodes.map((n) => [n.name, n.status]))}`);
      assert.equal(again.output, first.output, 'the re-run must write the same output file');
      const saved = again.lineage.params as { exclude?: string[] };
      assert.ok(saved.exclude?.includes(node), "the re-quantized model's lineage does not hold the new exclusion");
    });

    it('Optimize Graph on the digits CNN returns verified passes and the op histograms', async function () {
      this.timeout(90_000);
      const output = fixture('digits_cnn.opt.onnx').fsPath;
      const result = await vscode.commands.executeCommand<OptimizeResult>('ptp.optimizeModel', fixture('digits_cnn.onnx'), { passes: 'all', output });
      assert.ok(result && typeof result === 'object', `ptp.optimizeModel returned ${JSON.stringify(result)}`);
      assert.ok(fs.existsSync(output), `${output} was not written`);
      assert.ok(result.passes.length > 0 && result.passes.every((p) => p.verified && !p.rejected), JSON.stringify(result.passes));
      assert.ok(result.node_count_after <= result.node_count_before);
      assert.ok(Object.keys(result.op_histogram_before).length > 0);
      assert.ok(result.verification.available);
    });

    it('Quantize Model rejects the credit pipeline (no quantizable ops) with a message, not a stack', async function () {
      this.timeout(60_000);
      const output = fixture('credit_logreg.dynamic.onnx').fsPath;
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.quantizeModel', fixture('credit_logreg.onnx'), { mode: 'dynamic', output })), (e: Error) => {
        assert.match(e.message, /no quantizable ops/);
        assert.doesNotMatch(e.message, /\n\s+at /, 'the message must not carry a stack trace');
        return true;
      });
      assert.ok(!fs.existsSync(output), 'nothing may be written for a failed run');
    });

    it('Quantize Model never writes over the source model', async function () {
      const model = fixture('digits_mlp.onnx');
      const before = fs.readFileSync(model.fsPath);
      // The extension's own message (possibly inside "Quantize failed for <file>: …"), not any error.
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('ptp.quantizeModel', model, { mode: 'dynamic', output: model.fsPath })),
        (e: Error) => {
          assert.match(e.message, /(^|: )The output cannot be the source model\.$/);
          return true;
        },
      );
      assert.deepEqual(fs.readFileSync(model.fsPath), before, 'the source model was changed');
    });
  });
}
