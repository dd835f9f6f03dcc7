import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, tabsOf } from './util';

interface OpenExampleResult {
  readonly folder: string;
  readonly files: readonly string[];
}

export default function (): void {
  describe('getting started: the walkthrough and Open the Example Model', () => {
    let extension: vscode.Extension<unknown>;
    let dir: string;
    before(async () => {
      extension = (await activateExtension()).ext;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptp-example-'));
    });
    after(async () => {
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('Open the Example Model copies the shipped digits example and opens the model in the model editor; a file already there is kept', async function () {
      this.timeout(60_000);
      const r = await vscode.commands.executeCommand<OpenExampleResult>('ptp.openExample', { folder: dir });
      assert.deepEqual(r.files.map((f) => path.basename(f)), ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv', 'ptp.pipeline.yaml', 'digits_shifted.csv']);
      const pipeline = fs.readFileSync(r.files[3]!, 'utf8');
      assert.match(pipeline, /^model: digits_mlp\.onnx$/m, 'the pipeline reads the files beside it');
      assert.doesNotMatch(pipeline, /\.\.\/digits\//);
      for (const f of r.files.slice(0, 3)) assert.ok(fs.readFileSync(f).equals(fs.readFileSync(path.join(extension.extensionPath, 'examples', 'digits', path.basename(f)))), `${f} is the shipped file`);
      const tab = tabsOf('ptp.modelEditor').find((t) => (t.input as vscode.TabInputCustom).uri.fsPath === r.files[0]);
      assert.ok(tab, 'digits_mlp.onnx is open in the model editor');
      fs.writeFileSync(r.files[1]!, 'label\n1\n');
      await vscode.commands.executeCommand('ptp.openExample', { folder: dir });
      assert.equal(fs.readFileSync(r.files[1]!, 'utf8'), 'label\n1\n', 'the user\'s file is not overwritten');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.openExample', { folder: 'relative/dir' })), /"folder" must be an absolute path/);
    });

    it('the walkthrough opens, and every command its steps run is registered', async () => {
      const walkthrough = (extension.packageJSON as { contributes: { walkthroughs: { id: string; steps: { completionEvents: string[] }[] }[] } }).contributes.walkthroughs[0]!;
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const step of walkthrough.steps) for (const ev of step.completionEvents) assert.ok(registered.has(ev.replace(/^onCommand:/, '')), `${ev} is registered`);
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension.id}#${walkthrough.id}`, false);
    });
  });
}
