/**
 * Monitoring in the real VS Code: ptp.monitorModel on the credit model with a reference (the first half of
 * credit_test.csv) and a current file whose income_k is shifted (× 1.5 + 20); the dashboard tab; Run Retraining
 * through ptp.monitor.onAlert — a tasks.json task copying $PTP_ALERT_FILE, and a shell command reading stdin.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ColumnDrift } from '../../src/protocol/drift';
import type { MonitorResult } from '../../src/protocol/monitor';
import { activateExtension, fixture, tabsOf, waitFor, workspaceRoot } from './util';

const TASK = 'ptp monitor test: copy the alert';

export default function (): void {
  describe('Monitor Model and the Monitoring dashboard (monitor)', () => {
    let dir: string;
    let result: MonitorResult | undefined;
    const tasksJson = () => path.join(workspaceRoot().fsPath, '.vscode', 'tasks.json');

    before(async () => {
      await activateExtension();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptp-monitor-host-'));
      const [head, ...rows] = fs.readFileSync(fixture('credit_test.csv').fsPath, 'utf8').split(/\r?\n/).filter((l) => l !== '');
      const cols = head!.split(',');
      const income = cols.indexOf('income_k');
      assert.ok(income >= 0, `credit_test.csv has no income_k: ${head}`);
      const half = Math.floor(rows.length / 2);
      fs.writeFileSync(path.join(dir, 'reference.csv'), `${[head, ...rows.slice(0, half)].join('\n')}\n`);
      const shifted = rows.slice(half).map((r) => {
        const c = r.split(',');
        c[income] = String(Number(c[income]) * 1.5 + 20);
        return c.join(',');
      });
      fs.writeFileSync(path.join(dir, 'current.csv'), `${[head, ...shifted].join('\n')}\n`);
    });

    after(async () => {
      await vscode.workspace.getConfiguration('ptp').update('monitor.onAlert', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(tasksJson(), { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('ptp.monitorModel (monitor) flags the shifted income_k in every chunk and not most other features; the dashboard opens', async function () {
      this.timeout(180_000);
      const r: MonitorResult | undefined = await vscode.commands.executeCommand<MonitorResult>('ptp.monitorModel', fixture('credit_logreg.onnx'), {
        reference: path.join(dir, 'reference.csv'),
        current: path.join(dir, 'current.csv'),
        chunkSize: 150,
        excludeColumns: ['applicant_id', 'sex'],
      });
      assert.ok(r && Array.isArray(r.chunks), `ptp.monitorModel returned ${JSON.stringify(r)?.slice(0, 200)}`);
      result = r;
      assert.equal(r.chunks.length, 3);
      assert.equal(r.chunking.by, 'size');
      for (const c of r.chunks) {
        const income = c.drift.columns.find((x: ColumnDrift) => x.name === 'income_k');
        assert.ok(income?.drift, `chunk ${c.index}: income_k not flagged (${JSON.stringify(income)})`);
      }
      const others = r.chunks.flatMap((c) => c.drift.columns.filter((x: ColumnDrift) => x.name !== 'income_k' && x.name !== 'prediction'));
      assert.ok(others.length > 0);
      const drifted = others.filter((x) => x.drift).length;
      assert.ok(drifted < others.length / 2, `${drifted} of ${others.length} other feature cells drifted`);
      assert.ok(r.distributions.income_k, 'no distribution for income_k');
      assert.equal(r.distributions.income_k!.chunks.length, 3);
      await waitFor('the Monitoring dashboard tab', () => tabsOf('ptp.monitor').length > 0, 15_000);
    });

    it('Run Retraining (monitor) runs the ptp.monitor.onAlert task with $PTP_ALERT_FILE holding the alert JSON', async function () {
      this.timeout(90_000);
      assert.ok(result, 'the monitoring run before this test failed');
      const copied = path.join(dir, 'copied-alert.json');
      fs.mkdirSync(path.dirname(tasksJson()), { recursive: true });
      fs.writeFileSync(tasksJson(), JSON.stringify({ version: '2.0.0', tasks: [{ label: TASK, type: 'shell', command: `cp "$PTP_ALERT_FILE" '${copied}'`, presentation: { reveal: 'never' } }] }, null, 2));
      await waitFor('the task from tasks.json', async () => (await vscode.tasks.fetchTasks()).some((t) => t.name === TASK), 20_000);
      await vscode.workspace.getConfiguration('ptp').update('monitor.onAlert', TASK, vscode.ConfigurationTarget.Workspace);
      const started = await vscode.commands.executeCommand<{ started: string; alertFile: string }>('ptp.monitor.runRetraining', { result });
      assert.equal(started?.started, `task "${TASK}"`);
      await waitFor('the task to copy the alert file', () => fs.existsSync(copied) && fs.statSync(copied).size > 0, 60_000);
      const alert = JSON.parse(fs.readFileSync(copied, 'utf8')) as { model: string; alerts: { metric: string; chunk: number }[]; drifted: { chunk: number; columns: string[] }[] };
      assert.equal(alert.model, result.model);
      assert.equal(alert.alerts.length, result.alerts);
      assert.ok(alert.alerts.length > 0, 'the run raised no alert');
      assert.ok(alert.drifted.every((d) => d.columns.includes('income_k')), JSON.stringify(alert.drifted));
    });

    it('Run Retraining (monitor) with "shell: <command>": the alert JSON on stdin and in $PTP_ALERT_FILE', async function () {
      this.timeout(60_000);
      assert.ok(result, 'the monitoring run before this test failed');
      const stdin = path.join(dir, 'stdin-alert.json');
      const env = path.join(dir, 'env-alert.json');
      await vscode.workspace.getConfiguration('ptp').update('monitor.onAlert', `shell: cat > '${stdin}' && cp "$PTP_ALERT_FILE" '${env}'`, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('ptp.monitor.runRetraining', { result });
      await waitFor('the command to write both files', () => fs.existsSync(env) && fs.existsSync(stdin) && fs.statSync(stdin).size > 0, 30_000);
      assert.deepEqual(JSON.parse(fs.readFileSync(stdin, 'utf8')), JSON.parse(fs.readFileSync(env, 'utf8')));
    });

    it('watch (monitor): a new alert after the current data grows runs ptp.monitor.onAlert by itself with ptp.monitor.runOnAlert', async function () {
      this.timeout(120_000);
      const config = () => vscode.workspace.getConfiguration('ptp');
      const auto = path.join(dir, 'auto-alert.json');
      const growing = path.join(dir, 'growing.csv');
      const current = fs.readFileSync(path.join(dir, 'current.csv'), 'utf8').split('\n').filter(Boolean);
      fs.writeFileSync(growing, `${current.slice(0, 151).join('\n')}\n`);
      await config().update('monitor.watchSeconds', 5, vscode.ConfigurationTarget.Workspace);
      await config().update('monitor.runOnAlert', true, vscode.ConfigurationTarget.Workspace);
      await config().update('monitor.onAlert', `shell: cp "$PTP_ALERT_FILE" '${auto}'`, vscode.ConfigurationTarget.Workspace);
      try {
        const first = await vscode.commands.executeCommand<MonitorResult>('ptp.monitorModel', fixture('credit_logreg.onnx'), {
          reference: path.join(dir, 'reference.csv'),
          current: growing,
          chunkSize: 150,
          excludeColumns: ['applicant_id', 'sex'],
        });
        assert.equal(first?.chunks.length, 1);
        const on = await vscode.commands.executeCommand<{ on: boolean; seconds: number }>('ptp.monitor.toggleWatch', { on: true });
        assert.deepEqual([on?.on, on?.seconds], [true, 5]);
        fs.writeFileSync(growing, `${current.join('\n')}\n`);
        await waitFor('the onAlert command run by the watch', () => fs.existsSync(auto) && fs.statSync(auto).size > 0, 60_000);
        const alert = JSON.parse(fs.readFileSync(auto, 'utf8')) as { alerts: { chunk: number }[] };
        assert.ok(alert.alerts.length > 0 && alert.alerts.every((a) => a.chunk >= 1), `only new alerts (chunks after the first): ${JSON.stringify(alert.alerts.map((a) => a.chunk))}`);
      } finally {
        await vscode.commands.executeCommand('ptp.monitor.toggleWatch', { on: false });
        await config().update('monitor.watchSeconds', undefined, vscode.ConfigurationTarget.Workspace);
        await config().update('monitor.runOnAlert', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('Serve Model logs its requests to ptp.serve.requestLog, which Monitor Model reads back (monitor)', async function () {
      this.timeout(180_000);
      const { api } = await activateExtension();
      const serving = (api as unknown as { serving: { requestLog(): string | null; sendTestRequest(model: string, rows: number, data: string): Promise<unknown> } }).serving;
      await vscode.commands.executeCommand('ptp.serveModel', fixture('digits_mlp.onnx'), {});
      try {
        const log = serving.requestLog();
        assert.equal(log, path.join(workspaceRoot().fsPath, '.ptp', 'logs', 'digits_mlp.requests.jsonl'));
        for (let i = 0; i < 4; i++) await serving.sendTestRequest('digits_mlp', 25, fixture('digits_test.csv').fsPath);
        await waitFor('the request log', () => fs.existsSync(log!) && fs.readFileSync(log!, 'utf8').split('\n').filter(Boolean).length >= 4, 15_000);
        const r = await vscode.commands.executeCommand<MonitorResult>('ptp.monitorModel', fixture('digits_mlp.onnx'), { reference: fixture('digits_train.csv').fsPath, current: log!, chunkSize: 50 });
        assert.equal(r?.current.kind, 'request-log');
        assert.equal(r?.current.rows, 100);
        assert.ok(r?.chunks.every((c) => c.latency !== null), 'no latency from the request log');
      } finally {
        await vscode.commands.executeCommand('ptp.stopServing');
      }
    });

    it('ptp.monitor.toggleWatch (monitor) turns the watch of the open dashboard on and off', async () => {
      const on = await vscode.commands.executeCommand<{ on: boolean; seconds: number }>('ptp.monitor.toggleWatch', { on: true });
      assert.equal(on?.on, true);
      assert.equal(on?.seconds, 30);
      const off = await vscode.commands.executeCommand<{ on: boolean }>('ptp.monitor.toggleWatch', { on: false });
      assert.equal(off?.on, false);
    });
  });
}
