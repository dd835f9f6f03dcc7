import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, fixture, waitFor } from './util';

export default function (): void {
  describe('model editor', () => {
    afterEach(closeAllEditors);

    it('vscode.openWith opens tiny.onnx in the ptp.modelEditor custom editor', async () => {
      await activateExtension();
      const uri = fixture('tiny.onnx');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'ptp.modelEditor');
      const tab = await waitFor('a ptp.modelEditor tab for tiny.onnx', () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find(
            (t) =>
              t.input instanceof vscode.TabInputCustom &&
              t.input.viewType === 'ptp.modelEditor' &&
              t.input.uri.toString() === uri.toString(),
          ),
      );
      assert.ok(tab.input instanceof vscode.TabInputCustom);
      assert.equal(tab.label, 'tiny.onnx');
    });
  });
}
