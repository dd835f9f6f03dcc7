import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AddResult, AliasMove } from '../../src/pipeline/registry';
import type { TreeNode } from '../../src/extension/registry/logic/models-tree';
import type { QuantizeResult } from '../../src/protocol/quantize';
import { activateExtension, fixture, waitFor } from './util';

interface RegistryTestApi {
  readonly registry: { root(): string | undefined; tree(): Promise<TreeNode[]> };
}

export default function (): void {
  describe('model registry and the Models view', () => {
    let api: RegistryTestApi;
    let root: string;

    before(async () => {
      api = (await activateExtension()).api as unknown as RegistryTestApi;
      root = api.registry.root() ?? '';
      assert.equal(root, path.join(fixture('').fsPath, '.ptp', 'registry'), 'the registry is .ptp/registry of the workspace');
      fs.rmSync(root, { recursive: true, force: true });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('register the example, quantize it, register the result: the view shows v1 and v2 with v2\'s parent v1 and its recipe', async function () {
      this.timeout(120_000);
      const v1 = await vscode.commands.executeCommand<AddResult>('ptp.registerModel', fixture('digits_mlp.onnx'), { name: 'digits', aliases: ['champion'] });
      assert.deepEqual([v1.name, v1.version, v1.existing, v1.aliases], ['digits', 1, false, ['champion']]);
      assert.ok(fs.existsSync(path.join(root, 'models', 'digits', 'versions', '1', 'model.onnx')));

      const output = fixture('digits_mlp.registry-int8.onnx').fsPath;
      const q = await vscode.commands.executeCommand<QuantizeResult>('ptp.quantizeModel', fixture('digits_mlp.onnx'), { mode: 'dynamic', output });
      assert.equal(q.output, output);
      const v2 = await vscode.commands.executeCommand<AddResult>('ptp.registerModel', vscode.Uri.file(output), { name: 'digits' });
      assert.equal(v2.version, 2);
      assert.deepEqual(v2.parent, { name: 'digits', version: 1 }, 'the parent is found through the file\'s lineage');
      assert.equal(v2.lineage?.operation, 'quantize');
      assert.equal(v2.lineage?.params.mode, 'dynamic');

      const tree = await waitFor('the Models view lists digits with two versions', async () => {
        const t = await api.registry.tree();
        return t[0]?.children.length === 2 ? t : undefined;
      });
      const [model] = tree;
      assert.equal(model!.label, 'digits');
      assert.deepEqual(model!.children.map((v) => v.label), ['v2', 'v1']);
      const [n2, n1] = model!.children;
      assert.match(n2!.description, /quantize/);
      assert.match(n1!.description, /@champion/);
      assert.deepEqual(n2!.children.map((c) => c.label), ['← digits@1']);
      assert.match(n2!.tooltip, /made by \*\*quantize\*\*/);
      assert.match(n2!.tooltip, /mode=dynamic/);
      assert.equal(n2!.contextValue, 'ptp.version.withParent');
      await vscode.commands.executeCommand('ptp.models.focus');
    });

    it('Set Alias moves an alias (recorded), and Remove Version is refused while an alias points to it', async function () {
      this.timeout(60_000);
      const move = await vscode.commands.executeCommand<AliasMove>('ptp.models.setAlias', 'digits@2', { alias: 'champion' });
      assert.deepEqual([move.alias, move.from, move.to], ['champion', 1, 2]);
      const model = JSON.parse(fs.readFileSync(path.join(root, 'models', 'digits', 'model.json'), 'utf8')) as { aliases: Record<string, number>; alias_history: { from: number | null; to: number | null }[] };
      assert.deepEqual(model.aliases, { champion: 2 });
      assert.deepEqual(model.alias_history.map((m) => [m.from, m.to]), [[null, 1], [1, 2]]);
      await waitFor('v2 shows @champion', async () => (await api.registry.tree())[0]?.children[0]?.description.includes('@champion'));
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.models.removeVersion', 'digits@2', {})), /alias champion points to it/);
      assert.ok(fs.existsSync(path.join(root, 'models', 'digits', 'versions', '2')));
    });

    it('Export… writes digits@2 into a Triton repository that names the model and its version', async function () {
      this.timeout(60_000);
      const output = path.join(fixture('').fsPath, 'build', 'triton');
      fs.rmSync(path.dirname(output), { recursive: true, force: true });
      const r = await vscode.commands.executeCommand<{ name: string; version: number; max_batch_size: number }>('ptp.models.export', 'digits@2', { format: 'triton', output });
      assert.deepEqual([r.name, r.version], ['digits', 2]);
      const config = fs.readFileSync(path.join(output, 'digits', 'config.pbtxt'), 'utf8');
      assert.match(config, /^name: "digits"$/m);
      assert.match(config, /^backend: "onnxruntime"$/m);
      assert.ok(fs.existsSync(path.join(output, 'digits', '2', 'model.onnx')));
      fs.rmSync(path.dirname(output), { recursive: true, force: true });
    });

    it('Export… also writes KServe, MLflow and Docker (ptp serve) folders from the Models view', async function () {
      this.timeout(60_000);
      const base = path.join(fixture('').fsPath, 'build');
      fs.rmSync(base, { recursive: true, force: true });
      fs.mkdirSync(base);
      await vscode.commands.executeCommand('ptp.models.export', 'digits@2', { format: 'kserve', output: path.join(base, 'kserve'), storageUri: 's3://models/digits/2' });
      assert.match(fs.readFileSync(path.join(base, 'kserve', 'inferenceservice.yaml'), 'utf8'), /storageUri: s3:\/\/models\/digits\/2/);
      await vscode.commands.executeCommand('ptp.models.export', 'digits@2', { format: 'mlflow', output: path.join(base, 'mlflow') });
      assert.match(fs.readFileSync(path.join(base, 'mlflow', 'MLmodel'), 'utf8'), /loader_module: mlflow\.onnx/);
      await vscode.commands.executeCommand('ptp.models.export', 'digits@2', { format: 'docker', output: path.join(base, 'docker') });
      assert.match(fs.readFileSync(path.join(base, 'docker', 'Dockerfile'), 'utf8'), /^ENTRYPOINT \["node", "\/opt\/ptp\/dist\/cli\.js", "serve"/m);
      assert.match(fs.readFileSync(path.join(base, 'docker', 'serve.yaml'), 'utf8'), /name: digits/);
      assert.ok(fs.existsSync(path.join(base, 'docker', 'ptp', 'dist', 'serve-instance.js')), 'the context carries the ptp runtime');
      fs.rmSync(base, { recursive: true, force: true });
    });

    it('Model Card opens the card of digits@2 in the Markdown preview, with its lineage', async function () {
      this.timeout(60_000);
      const r = await vscode.commands.executeCommand<{ uri: string; markdown: string; placeholders: string[] }>('ptp.models.card', 'digits@2');
      assert.match(r.markdown, /^# Model card: digits v2$/m);
      assert.match(r.markdown, /Made by\*\*: `ptp quantize`/);
      assert.ok(r.placeholders.includes('Intended use'));
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
      assert.equal(doc?.languageId, 'markdown');
      await waitFor('the Markdown preview tab', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType)),
      );
    });

    it('Evaluate on a version attaches the run to it, and the view shows its accuracy', async function () {
      this.timeout(120_000);
      const data = fixture('digits_test.csv').fsPath;
      const r = await vscode.commands.executeCommand<{ metrics: { accuracy: number }; saved_to?: string }>('ptp.models.evaluate', 'digits@1', { data, label: 'label' });
      assert.ok(r.saved_to?.startsWith(path.join(root, 'models', 'digits', 'versions', '1', 'evaluations')), `saved to ${r.saved_to}`);
      const v1 = await waitFor('v1 shows its accuracy', async () => (await api.registry.tree())[0]?.children.find((v) => v.label === 'v1' && v.description.includes('accuracy')));
      assert.match(v1.description, new RegExp(`accuracy ${r.metrics.accuracy.toFixed(4)}`));
    });
  });
}
