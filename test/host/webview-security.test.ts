import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import type { PipelineRunResult } from '../../src/protocol/pipeline';
import { copyPipelineExample } from './pipeline.test';
import { activateExtension, fixture, waitFor, workspaceRoot } from './util';

interface Shown {
  readonly app: string;
  readonly html: string;
  readonly enableScripts: boolean;
  readonly enableCommandUris: boolean | readonly string[];
  readonly localResourceRoots: readonly string[];
}
interface SecurityApi {
  readonly webviews: { shown(): readonly Shown[] };
}

const APPS = ['overview', 'sample', 'evaluation', 'quantize', 'explain', 'compare', 'prune', 'distill', 'serving', 'monitor'] as const;

export default function (): void {
  describe('webviews are locked down (every panel, in the real VS Code)', () => {
    let api: SecurityApi;
    let extensionPath: string;

    before(async function () {
      this.timeout(300_000);
      const { ext, api: a } = await activateExtension();
      api = a as unknown as SecurityApi;
      extensionPath = ext.extensionPath;
      // Open one panel of every app, each from its own command (no reliance on earlier suites).
      const data = fixture('digits_test.csv').fsPath;
      await vscode.commands.executeCommand('vscode.openWith', fixture('hostile.onnx'), 'ptp.modelEditor');
      await vscode.commands.executeCommand('ptp.runSampleInputs', fixture('tiny.onnx'));
      await vscode.commands.executeCommand('ptp.evaluateModel', fixture('digits_mlp.onnx'), { data, label: 'label' });
      await vscode.commands.executeCommand('ptp.quantizeModel', fixture('digits_mlp.onnx'), { mode: 'dynamic', output: fixture('digits_mlp.security.int8.onnx').fsPath });
      await vscode.commands.executeCommand('ptp.explainModel', fixture('diabetes_ridge.onnx'), { data: fixture('diabetes_test.csv').fsPath, maxRows: 2, method: 'exact' });
      await vscode.commands.executeCommand('ptp.compareModels', fixture('tiny.onnx'), fixture('tiny_changed.onnx'));
      await vscode.commands.executeCommand('ptp.pruneModel', fixture('digits_mlp.onnx'), { method: 'magnitude', sparsity: 0.5, output: fixture('digits_mlp.security.pruned.onnx').fsPath });
      await vscode.commands.executeCommand('ptp.distillModel', fixture('digits_mlp.onnx'), { data, label: 'label', student: { kind: 'mlp', hidden: [8] }, epochs: 2, output: fixture('digits_mlp.security.student.onnx').fsPath });
      await vscode.commands.executeCommand('ptp.monitorModel', fixture('digits_mlp.onnx'), { reference: fixture('digits_train.csv').fsPath, current: data });
      await vscode.commands.executeCommand('ptp.serveModel', fixture('digits_mlp.onnx'));
      await vscode.commands.executeCommand('ptp.showServingPanel');
      await waitFor('a webview of every app', () => APPS.every((app) => api.webviews.shown().some((w) => w.app === app)), 30_000);
    });

    after(async () => {
      await vscode.commands.executeCommand('ptp.stopServing');
    });

    for (const app of APPS) {
      it(`${app}: a nonce CSP that allows no inline or eval'd script, and resources from the extension's dist/webview and media only`, () => {
        const shown = [...api.webviews.shown()].reverse().find((w) => w.app === app);
        assert.ok(shown, `no ${app} webview was shown`);
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(shown.html)?.[1]?.replace(/&#39;/g, "'");
        assert.ok(csp, 'the page has a CSP');
        const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v] as const));
        assert.deepEqual(directives.get('default-src'), ["'none'"]);
        const scripts = directives.get('script-src') ?? [];
        assert.equal(scripts.length, 1, `script-src ${scripts.join(' ')}`);
        const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scripts[0]!)?.[1];
        assert.ok(nonce, `script-src is a nonce: ${scripts[0]}`);
        assert.ok(!/unsafe-inline|unsafe-eval/.test(csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? ''), 'no unsafe-inline / unsafe-eval for scripts');
        const tags = [...shown.html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
        assert.ok(tags.length >= 1);
        for (const t of tags) assert.match(t, new RegExp(`nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`), `every script carries the nonce: <script${t}>`);
        assert.ok(!/\son\w+=/.test(shown.html), 'no inline event handlers in the shell');
        assert.equal(shown.enableScripts, true);
        assert.equal(shown.enableCommandUris, false, 'command: links are off');
        assert.deepEqual([...shown.localResourceRoots].sort(), [path.join(extensionPath, 'dist', 'webview'), path.join(extensionPath, 'media')].sort());
      });
    }
  });

  describe('webviews are locked down: the pipeline report panel (no scripts at all)', () => {
    let root: string;
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('the pipeline report: no scripts, no command links, no local resources, CSP default-src none with inline styles and data: images only', async function () {
      this.timeout(240_000);
      const { ext, api: a } = await activateExtension();
      const api = a as unknown as { pipeline: { report: { html(): string | undefined; options(): vscode.WebviewOptions | undefined } } };
      root = fs.mkdtempSync(path.join(workspaceRoot().fsPath, 'pipeline-security-'));
      const file = copyPipelineExample(ext.extensionPath, root);
      const r = await vscode.commands.executeCommand<PipelineRunResult>('ptp.pipeline.run', vscode.Uri.file(file), { approve: 'all' });
      assert.equal(r.status, 'passed');
      const html = api.pipeline.report.html() ?? '';
      const csps = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/g)].map((m) => m[1]!);
      assert.equal(csps[0], "default-src 'none'; style-src 'unsafe-inline'; img-src data:", 'our CSP comes first');
      for (const csp of csps) assert.ok(!/script-src/.test(csp), `no script source: ${csp}`);
      assert.ok(!/<script\b/i.test(html), 'no script tag');
      assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
      const options = api.pipeline.report.options();
      assert.equal(options?.enableScripts, false);
      assert.equal(options?.enableCommandUris ?? false, false);
      assert.deepEqual([...(options?.localResourceRoots ?? [])], []);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
}
