/**
 * The pipeline as code in the real VS Code: a copy of examples/pipeline (with ../digits) inside the workspace; run
 * it through `ptp.pipeline.run` without approvals (it stops at sign-off, the Pipeline view shows it waiting),
 * approve through `ptp.pipeline.approve` (the run continues and passes, its report opens in a script-free panel,
 * the registry of the copy holds digits@1 with the approval); a broken pipeline file gets a diagnostic at its
 * line; the CodeLens provider gives Run Pipeline and one Run to here per stage.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StageNode } from '../../src/extension/pipeline/logic/pipeline-tree';
import type { PipelineRunResult } from '../../src/protocol/pipeline';
import { activateExtension, tabsOf, waitFor, workspaceRoot } from './util';

interface PipelineTestApi {
  readonly pipeline: {
    readonly view: { file(): string | undefined; nodes(): StageNode[] };
    readonly report: { file(): string | undefined; html(): string | undefined; options(): vscode.WebviewOptions | undefined };
  };
}

/** examples/pipeline → <root>/pipeline, examples/digits → <root>/digits (the pipeline's ../digits). */
export function copyPipelineExample(extensionPath: string, root: string): string {
  const dir = path.join(root, 'pipeline');
  fs.mkdirSync(path.join(root, 'digits'), { recursive: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) fs.copyFileSync(path.join(extensionPath, 'examples', 'digits', f), path.join(root, 'digits', f));
  for (const f of ['ptp.pipeline.yaml', 'digits_shifted.csv']) fs.copyFileSync(path.join(extensionPath, 'examples', 'pipeline', f), path.join(dir, f));
  return path.join(dir, 'ptp.pipeline.yaml');
}

export default function (): void {
  describe('the pipeline as code (Pipeline view, CodeLens, diagnostics)', () => {
    let api: PipelineTestApi;
    let root: string;
    let file: string;

    before(async () => {
      const { ext, api: a } = await activateExtension();
      api = a as unknown as PipelineTestApi;
      root = fs.mkdtempSync(path.join(workspaceRoot().fsPath, 'pipeline-host-'));
      file = copyPipelineExample(ext.extensionPath, root);
    });
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('ptp.pipeline.run without approvals stops awaiting approval at sign-off; the Pipeline view shows it waiting', async function () {
      this.timeout(240_000);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      const r = await vscode.commands.executeCommand<PipelineRunResult>('ptp.pipeline.run', vscode.Uri.file(file), {});
      assert.equal(r.status, 'awaiting-approval');
      const byId = Object.fromEntries(r.stages.map((s) => [s.id, s.status]));
      assert.equal(byId['sign-off'], 'awaiting-approval');
      assert.equal(byId.quality, 'passed');
      assert.equal(api.pipeline.view.file(), file);
      const nodes = await waitFor('the view shows sign-off awaiting approval', () => {
        const n = api.pipeline.view.nodes();
        return n.find((x) => x.id === 'sign-off')?.status === 'awaiting-approval' ? n : undefined;
      });
      const quality = nodes.find((n) => n.id === 'quality')!;
      assert.equal(quality.status, 'passed');
      assert.equal(quality.children.length, 2, 'the gate\'s two checks are its children');
      assert.match(quality.children[0]!.description, /^left [\d.]+, right [\d.]+$/);
      assert.equal(nodes.find((n) => n.id === 'sign-off')!.contextValue, 'ptp.pipeline.stage.awaiting-approval');
      await vscode.commands.executeCommand('ptp.pipeline.focus');
    });

    it('ptp.pipeline.approve records the decision and the run continues to passed (earlier stages cached); the report panel opens; digits@1 holds the approval', async function () {
      this.timeout(240_000);
      const r = await vscode.commands.executeCommand<PipelineRunResult>('ptp.pipeline.approve', file, 'sign-off', { comment: 'host test', by: 'host-tester' });
      assert.equal(r.status, 'passed', JSON.stringify(r.stages.map((s) => [s.id, s.status, s.message])));
      const byId = Object.fromEntries(r.stages.map((s) => [s.id, s.status]));
      assert.equal(byId.base, 'cached');
      assert.equal(byId.int8, 'cached');
      assert.equal(byId['sign-off'], 'passed');
      assert.equal(byId.publish, 'passed');
      assert.ok(api.pipeline.view.nodes().every((n) => n.status === 'passed' || n.status === 'cached'));

      assert.equal(api.pipeline.report.file(), path.resolve(r.report.html));
      const html = api.pipeline.report.html() ?? '';
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
      assert.ok(!/<script/i.test(html), 'the report has no script');
      const options = api.pipeline.report.options();
      assert.equal(options?.enableScripts, false);
      assert.deepEqual(options?.localResourceRoots ?? [], []);
      const [tab] = await waitFor('the report tab', () => { const t = tabsOf('ptp.pipelineReport'); return t.length ? t : undefined; });
      assert.match(tab!.label, /^Pipeline digits-release: passed/);

      const version = path.join(path.dirname(file), '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'version.json');
      assert.ok(fs.existsSync(version), `${version} exists`);
      const record = JSON.parse(fs.readFileSync(version, 'utf8')) as { approvals?: { by: string; message?: string; context?: string }[] };
      assert.ok(record.approvals?.some((a) => a.by === 'host-tester' && a.message === 'host test' && /stage sign-off/.test(a.context ?? '')), JSON.stringify(record.approvals));
    });

    it('a broken pipeline file gets a diagnostic at its line, cleared when fixed', async function () {
      this.timeout(60_000);
      const broken = path.join(path.dirname(file), 'broken.ptp.pipeline.yaml');
      fs.writeFileSync(broken, 'version: 1\nname: broken\nmodel: ../digits/digits_mlp.onnx\nstages:\n  - {id: base, run: evaluate}\n  - {id: what, run: nosuchkind}\n');
      const uri = vscode.Uri.file(broken);
      const editor = await vscode.window.showTextDocument(uri);
      const [d] = await waitFor('a diagnostic on the broken file', () => {
        const ds = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'ptp pipeline');
        return ds.length ? ds : undefined;
      });
      assert.equal(d!.range.start.line, 5, `${d!.message} at line ${d!.range.start.line + 1}`);
      assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
      await editor.edit((e) => e.replace(new vscode.Range(5, 0, 5, editor.document.lineAt(5).text.length), '  - {id: what, run: evaluate}'));
      await editor.document.save();
      await waitFor('the diagnostic is cleared', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'ptp pipeline').length === 0);
    });

    it('the CodeLens provider gives Run Pipeline and one Run to here per stage', async function () {
      this.timeout(60_000);
      const uri = vscode.Uri.file(file);
      const lenses = await waitFor('code lenses', async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        return l?.some((x) => x.command?.command === 'ptp.pipeline.run') ? l : undefined;
      });
      const ours = lenses.filter((l) => l.command?.command.startsWith('ptp.pipeline.'));
      assert.equal(ours.filter((l) => l.command!.command === 'ptp.pipeline.run').length, 1);
      assert.match(ours.find((l) => l.command!.command === 'ptp.pipeline.run')!.command!.title, /Run Pipeline/);
      const toHere = ours.filter((l) => l.command!.command === 'ptp.pipeline.runToHere');
      assert.equal(toHere.length, 10, 'one per stage of the example');
      assert.deepEqual(toHere.map((l) => l.command!.arguments?.[1]), ['base', 'int8', 'int8-eval', 'quality', 'sign-off', 'publish', 'card', 'triton', 'served', 'drift']);
    });
  });
}
