/**
 * Serving in a real VS Code: Serve Model on the example starts ptp serve (a child process) on a free port, the
 * status bar counts requests, /v2/admin/stats counts move after an infer, the split changes through the admin API,
 * the Serving panel renders, and Stop Serving closes the port.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, fixture, waitFor } from './util';

interface Served {
  readonly url: string;
  readonly grpc: string | null;
  readonly models: readonly { model: string; version: string; state: string }[];
}
interface ServingTestApi {
  readonly serving: { url(): string | null; poll(): Promise<unknown>; sendTestRequest(model: string, rows: number, dataFile: string): Promise<{ modelVersion: string | null; rows: number; json: string } | null> };
  readonly webviews: { shown(): readonly { app: string; html: string }[] };
}
interface Stats {
  readonly models: { name: string; split: Record<string, number>; versions: { version: string; requests: number; latency_ms: { p50: number | null } }[] }[];
}

const getJson = async <T>(url: string, init?: RequestInit): Promise<T> => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};

export default function (): void {
  describe('serving: Serve Model, the status bar and the Serving panel', () => {
    let api: ServingTestApi;
    before(async () => {
      api = (await activateExtension()).api as unknown as ServingTestApi;
    });
    after(async () => {
      await vscode.commands.executeCommand('ptp.stopServing');
    });

    it('serves digits_mlp.onnx, answers /v2/models/digits_mlp/infer, stats count it, the split changes, stop closes the port', async function () {
      this.timeout(120_000);
      const served = await vscode.commands.executeCommand<Served>('ptp.serveModel', fixture('digits_mlp.onnx'), {});
      assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(served.models.map((m) => [m.model, m.version, m.state]), [['digits_mlp', '1', 'ready']]);
      assert.equal(api.serving.url(), served.url);

      const before = await getJson<Stats>(`${served.url}/v2/admin/stats`);
      assert.equal(before.models[0]!.versions[0]!.requests, 0);
      const meta = await getJson<{ inputs: { name: string }[] }>(`${served.url}/v2/models/digits_mlp`);
      const body = { inputs: [{ name: meta.inputs[0]!.name, datatype: 'FP32', shape: [2, 64], data: new Array(128).fill(1) }] };
      const answer = await getJson<{ model_name: string; model_version: string; outputs: { name: string; shape: number[] }[] }>(`${served.url}/v2/models/digits_mlp/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(answer.model_version, '1');
      assert.deepEqual(answer.outputs.find((o) => o.name === 'logits')?.shape, [2, 10]);
      const after = await getJson<Stats>(`${served.url}/v2/admin/stats`);
      assert.equal(after.models[0]!.versions[0]!.requests, 1, 'the stats count the request');
      assert.ok(after.models[0]!.versions[0]!.latency_ms.p50 !== null);

      // The split through the admin endpoint the panel's Apply uses.
      const routing = await getJson<{ routing: { split: Record<string, number> } }>(`${served.url}/v2/admin/models/digits_mlp/routing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ split: { 1: 100 } }) });
      assert.deepEqual(routing.routing.split, { 1: 100 });
      assert.deepEqual((await getJson<Stats>(`${served.url}/v2/admin/stats`)).models[0]!.split, { 1: 100 });

      // The panel opens on the serving app.
      await vscode.commands.executeCommand('ptp.showServingPanel');
      await waitFor('the serving webview is set up', async () => api.webviews.shown().some((w) => w.app === 'serving'));
      assert.ok(await api.serving.poll(), 'a stats poll succeeds');

      assert.equal(await vscode.commands.executeCommand('ptp.stopServing'), true);
      assert.equal(api.serving.url(), null);
      await assert.rejects(fetch(`${served.url}/v2/health/live`, { signal: AbortSignal.timeout(5000) }), 'the port is closed');
    });

    it('Serve in the Models view: a registry model with two versions is served as a 90/10 canary; Send Test Request answers from the data file; the split changes', async function () {
      this.timeout(120_000);
      const root = path.join(fixture('').fsPath, '.ptp', 'registry');
      try {
        await vscode.commands.executeCommand('ptp.registerModel', fixture('digits_cnn.onnx'), { name: 'canary' });
        await vscode.commands.executeCommand('ptp.registerModel', fixture('digits_resnet.onnx'), { name: 'canary' });
        const served = await vscode.commands.executeCommand<Served>('ptp.models.serve', 'canary', {});
        assert.deepEqual(served.models.map((m) => [m.model, m.version, m.state]), [['canary', '1', 'ready'], ['canary', '2', 'ready']]);
        let stats = await getJson<Stats>(`${served.url}/v2/admin/stats`);
        assert.deepEqual(stats.models[0]!.split, { 1: 90, 2: 10 });

        const answer = await api.serving.sendTestRequest('canary', 3, fixture('digits_test.csv').fsPath);
        assert.ok(answer && ['1', '2'].includes(answer.modelVersion ?? ''), `answered by version ${answer?.modelVersion}`);
        assert.equal(answer!.rows, 3);
        assert.match(answer!.json, /"logits"/);
        stats = await getJson<Stats>(`${served.url}/v2/admin/stats`);
        assert.equal(stats.models[0]!.versions.reduce((n, v) => n + v.requests, 0), 1, 'the test request is counted');

        await getJson(`${served.url}/v2/admin/models/canary/routing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ split: { 2: 100 } }) });
        const again = await api.serving.sendTestRequest('canary', 1, fixture('digits_test.csv').fsPath);
        assert.equal(again?.modelVersion, '2', 'all traffic goes to v2 now');
        assert.equal(await vscode.commands.executeCommand('ptp.stopServing'), true);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
