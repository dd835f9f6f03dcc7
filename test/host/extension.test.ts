import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './util';

export default function (): void {
  describe('extension', () => {
    it('is installed and activates, reporting its activation time', async () => {
      const { ext, api } = await activateExtension();
      assert.equal(ext.isActive, true, `${EXTENSION_ID} did not become active`);
      assert.equal(typeof api.activationMs, 'number', 'exports.activationMs should be a number (ms spent in activate())');
      assert.ok(Number.isFinite(api.activationMs) && api.activationMs! >= 0, `activationMs = ${api.activationMs}`);
      console.log(`[ptp-host] activationMs = ${api.activationMs}`);
    });

    it('registers the model commands', async () => {
      await activateExtension();
      const all = new Set(await vscode.commands.getCommands(true));
      const missing = ['ptp.inspectModel', 'ptp.validateModel', 'ptp.runSampleInputs'].filter((c) => !all.has(c));
      assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
    });
  });
}
