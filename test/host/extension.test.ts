import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './util';

/** The command ids of `contributes.commands` in the extension's manifest. */
function contributedCommands(manifest: unknown): string[] {
  const commands = (manifest as { contributes?: { commands?: { command?: unknown }[] } }).contributes?.commands;
  assert.ok(Array.isArray(commands), 'package.json has no contributes.commands array');
  return commands.map((c, i) => {
    assert.equal(typeof c.command, 'string', `contributes.commands[${i}] has no command id`);
    return c.command as string;
  });
}

export default function (): void {
  describe('extension', () => {
    it('is installed and activates, reporting its activation time', async () => {
      const { ext, api } = await activateExtension();
      assert.equal(ext.isActive, true, `${EXTENSION_ID} did not become active`);
      assert.equal(typeof api.activationMs, 'number', 'exports.activationMs should be a number (ms spent in activate())');
      assert.ok(Number.isFinite(api.activationMs) && api.activationMs! >= 0, `activationMs = ${api.activationMs}`);
      console.log(`[ptp-host] activationMs = ${api.activationMs}`);
    });

    it('registers every command that package.json contributes', async () => {
      const { ext } = await activateExtension();
      const contributed = contributedCommands(ext.packageJSON);
      assert.ok(contributed.length >= 13, `package.json contributes only ${contributed.length} commands`);
      for (const c of ['ptp.inspectModel', 'ptp.validateModel', 'ptp.runSampleInputs']) assert.ok(contributed.includes(c), `${c} is not contributed`);
      const all = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((c) => !all.has(c));
      assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    });
  });
}
