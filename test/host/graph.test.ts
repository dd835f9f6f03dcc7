import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ProfileResult } from '../../src/protocol/evaluate';
import { activateExtension, closeAllEditors, fixture, waitFor, tabsOf } from './util';

interface Diff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly { node: string; changes: readonly string[] }[];
  readonly pairs: readonly { a: number; b: number }[];
}


export default function (): void {
  describe('graph: Profile Model and Compare Models', () => {
    before(async () => {
      await activateExtension();
    });
    after(closeAllEditors);

    it('Profile Model returns the digits CNN node times (shares sum to 1), writes the trace and opens the model editor', async function () {
      this.timeout(120_000);
      const uri = fixture('digits_cnn.onnx');
      const result = await vscode.commands.executeCommand<ProfileResult | undefined>('ptp.profileModel', uri);
      assert.ok(result && Array.isArray(result.nodes), `ptp.profileModel returned ${JSON.stringify(result)}`);
      assert.ok(result.nodes.length >= 5, `only ${result.nodes.length} nodes timed`);
      assert.ok(result.nodes.some((n) => n.op_type === 'Conv'), 'no Conv node in the profile');
      const sum = result.nodes.reduce((s, n) => s + n.share, 0);
      assert.ok(Math.abs(sum - 1) < 1e-6, `shares sum to ${sum}`);
      assert.ok(result.nodes.every((n) => n.p50_us >= 0 && n.calls >= 1));
      assert.ok(result.run_p50_ms > 0);
      assert.ok(fs.existsSync(result.profile_file), `trace ${result.profile_file} was not written`);
      assert.equal(JSON.stringify(result.profile_file).includes('digits_cnn'), true);
      const trace = JSON.parse(fs.readFileSync(result.profile_file, 'utf8')) as unknown;
      assert.ok(Array.isArray(trace) && trace.length > 0, 'the trace is not a JSON array of events');
      await waitFor('the model editor of digits_cnn.onnx', () => tabsOf('ptp.modelEditor').find((t) => (t.input as vscode.TabInputCustom).uri.toString() === uri.toString()));
    });

    it('Compare Models on tiny.onnx and tiny_changed.onnx returns gemm0 as changed (alpha) and opens the Compare panel', async function () {
      this.timeout(60_000);
      const diff = await vscode.commands.executeCommand<Diff | undefined>('ptp.compareModels', fixture('tiny.onnx'), fixture('tiny_changed.onnx'));
      assert.ok(diff, 'ptp.compareModels returned nothing');
      assert.deepEqual(diff.added, []);
      assert.deepEqual(diff.removed, []);
      assert.equal(diff.changed.length, 1);
      assert.equal(diff.changed[0]!.node, 'gemm0');
      assert.match(diff.changed[0]!.changes.join('\n'), /alpha/);
      assert.equal(diff.pairs.length, 2);
      await waitFor('a Compare panel', () => tabsOf('ptp.compareModels')[0]);
    });

    it('Compare Models takes the Explorer multi-selection (uri, [uriA, uriB]) and reports a missing file as an error', async function () {
      this.timeout(60_000);
      const a = fixture('tiny.onnx');
      const b = fixture('hostile.onnx');
      const diff = await vscode.commands.executeCommand<Diff | undefined>('ptp.compareModels', a, [a, b]);
      assert.ok(diff);
      assert.ok(diff.removed.includes('relu0') && diff.added.includes('<img src=x onerror=alert(1)>'), JSON.stringify(diff));
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('ptp.compareModels', a, fixture('does_not_exist.onnx'))),
        /does_not_exist|no such file|not found|ENOENT/i,
      );
    });
  });
}
