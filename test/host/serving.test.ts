/**
 * Serving in a real VS Code: Serve Model on the example starts ptp serve (a child process) on a free port, the
 * status bar counts requests, /v2/admin/stats counts move after an infer, the split changes through the admin API,
 * the Serving panel renders, and Stop Serving closes the port.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fixture, waitFor } from './util';

interface Served {
  readonly url: string;
  readonly grpc: string | null;
  readonly models: readonly { model: string; version: string; state: string }[];
}
interface ServingTestApi {
  readonly serving: { url(): string | null; poll(): Promise<unknown> };
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
  });
}
