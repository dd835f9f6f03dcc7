/**
 * The monitoring operation: Monitor Model… (Explorer → Post-Training, the palette, the model editor's title; the
 * Models view's Monitor… resolves a registry version and calls it) runs the worker op `monitor` on a reference and
 * the current data (a data file, or the request log of the server started from VS Code) with progress and Cancel,
 * and opens the Monitoring dashboard. Watch re-runs the op every `ptp.monitor.watchSeconds` while the dashboard is
 * open; a new alert (not in the previous run) is notified with Open Dashboard / Run Retraining, and runs
 * `ptp.monitor.onAlert` itself when `ptp.monitor.runOnAlert` is on.
 *
 *   executeCommand('ptp.monitorModel', uri, { reference, current, chunkSize?, chunkPeriod?, label?, excludeColumns? })  → MonitorResult
 *   executeCommand('ptp.monitor.toggleWatch', { on? })          → WatchState of the active dashboard
 *   executeCommand('ptp.monitor.runRetraining', { result? })    → { started, alertFile } (default: the active dashboard's alerts)
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { MonitorParams, MonitorResult } from '../../protocol/monitor';
import type { MonitorSnapshot, WatchState } from '../../protocol/monitor-panel';
import type { ExportOutcome } from '../../protocol/webview';
import { DataPicker } from '../shared/data-picker';
import { isArgsObject } from '../shared/logic/command-args';
import type { Operation, OperationHost } from '../shared/operation';
import type { ModelTarget } from '../shared/operation-runner';
import { reportFilePath } from '../webview/report-export';
import { alertPayload, alertsOf, alertSummary, newAlerts, type ChunkAlert } from './logic/alerts';
import { MONITOR_COMMANDS } from './logic/monitor-ids';
import { monitorParams, parseMonitorArgs, type MonitorChoices } from './logic/monitor-options';
import { describeOnAlert, parseOnAlert } from './logic/on-alert';
import { dashboardKey, MonitorDashboards, type DashboardControls } from './monitor-panel';
import { pickMonitorChoices } from './monitor-pickers';
import { runRetraining, type Retraining } from './retraining';

/** A dashboard's run: what it monitors, the last result, and its watch. */
interface Run {
  readonly target: ModelTarget;
  readonly params: MonitorParams;
  readonly label: string;
  result: MonitorResult;
  time: Date;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
}

function watchSecondsOf(scope: vscode.Uri | undefined): number {
  const v = vscode.workspace.getConfiguration('ptp', scope).get('monitor.watchSeconds');
  return typeof v === 'number' && Number.isFinite(v) && v >= 5 ? v : 30;
}

/** The monitoring operation; `servingLog` is the request log of the server this window runs (null: none). */
export function monitorOperation(servingLog: () => string | null): Operation {
  return {
    name: 'monitor',
    activate({ context, log, runner, worker, settings }: OperationHost) {
      const dataPicker = new DataPicker(context.workspaceState);
      const runs = new Map<string, Run>();
      let active: string | undefined;

      const onAlertOf = (scope?: vscode.Uri) => parseOnAlert(vscode.workspace.getConfiguration('ptp', scope).get('monitor.onAlert'));
      const watchState = (run: Run): WatchState => ({ on: run.timer !== undefined, seconds: watchSecondsOf(run.target.uri), lastRun: run.time.toISOString() });
      const snapshotOf = (run: Run): MonitorSnapshot => ({ label: run.label, result: run.result, watch: watchState(run), retraining: describeOnAlert(onAlertOf(run.target.uri)) });

      const retrain = async (result: MonitorResult, alerts: readonly ChunkAlert[], scope?: vscode.Uri): Promise<Retraining> => {
        const r = await runRetraining(onAlertOf(scope), alertPayload(result, alerts, new Date()), log);
        void vscode.window.showInformationMessage(`Retraining: started ${r.started}.`);
        return r;
      };

      const stopWatch = (run: Run) => {
        if (run.timer) clearInterval(run.timer);
        run.timer = undefined;
      };

      /** A watch re-run (quiet: no progress notification); new alerts are notified. */
      const rerun = async (key: string, quiet: boolean): Promise<void> => {
        const run = runs.get(key);
        if (!run || run.running) return;
        run.running = true;
        try {
          const result = quiet
            ? await worker.request('monitor', run.params, { cancelMessage: 'The monitoring run was cancelled.' })
            : await runner.run('monitor', run.params, { title: `Monitoring ${run.label}`, cancelled: `Monitoring ${run.label} was cancelled.` });
          if (runs.get(key) !== run) return;
          const fresh = newAlerts(run.result, result);
          run.result = result;
          run.time = new Date();
          dashboards.update(key, snapshotOf(run));
          log.info(`Monitor ${run.label}: ${result.chunks.length} chunks, ${result.alerts} alerts (${fresh.length} new)`);
          if (fresh.length && run.timer) notify(key, run, fresh);
        } catch (e) {
          const error = runner.fail('Monitor Model', e, { file: run.target.model, panels: dashboards, key, quietCancel: true });
          log.warn(`Monitor re-run: ${error.message}`);
          // A failing watch stops (one notification, not one every few seconds); the dashboard keeps the last result.
          if (run.timer) {
            stopWatch(run);
            dashboards.get(key)?.watch(watchState(run));
          }
        } finally {
          run.running = false;
        }
      };

      const notify = (key: string, run: Run, fresh: readonly ChunkAlert[]) => {
        const onAlert = onAlertOf(run.target.uri);
        const auto = onAlert !== null && vscode.workspace.getConfiguration('ptp', run.target.uri).get('monitor.runOnAlert') === true;
        if (auto) void retrain(run.result, fresh, run.target.uri).catch((e: unknown) => runner.fail('Run Retraining', e));
        void vscode.window.showWarningMessage(`${run.label}: ${alertSummary(fresh)}`, 'Open Dashboard', ...(auto ? [] : ['Run Retraining'])).then((choice) => {
          if (choice === 'Open Dashboard') dashboards.get(key)?.panel.reveal();
          if (choice === 'Run Retraining') void retrain(run.result, fresh, run.target.uri).catch((e: unknown) => runner.fail('Run Retraining', e));
        });
      };

      const toggle = (key: string, on?: boolean): WatchState => {
        const run = runs.get(key);
        if (!run) throw new Error('No Monitoring dashboard is open.');
        const want = on ?? run.timer === undefined;
        stopWatch(run);
        if (want) run.timer = setInterval(() => void rerun(key, true), watchSecondsOf(run.target.uri) * 1000);
        const state = watchState(run);
        dashboards.get(key)?.watch(state);
        log.info(`Monitor ${run.label}: watch ${state.on ? `on, every ${state.seconds} s` : 'off'}`);
        return state;
      };

      const saveHtml = async (key: string): Promise<ExportOutcome> => {
        const run = runs.get(key);
        if (!run) throw new Error('This dashboard is closed.');
        const target = await vscode.window.showSaveDialog({
          title: 'Save the monitoring report as HTML',
          defaultUri: vscode.Uri.file(reportFilePath(run.target.model, 'monitor', 'html')),
          filters: { HTML: ['html'] },
          saveLabel: 'Save HTML',
        });
        if (!target) return { done: false };
        if (target.scheme !== 'file') throw new Error(`${target.toString(true)}: the report can only be written to disk.`);
        const result = await runner.run('monitor', { ...run.params, html: target.fsPath }, { title: `Writing the monitoring report of ${run.label}`, cancelled: 'The report was cancelled.' });
        return { done: true, file: result.html ?? target.fsPath };
      };

      const controls = (key: string): DashboardControls => ({
        saveHtml: () => saveHtml(key),
        toggleWatch: () => toggle(key),
        refresh: async () => {
          await rerun(key, false);
          return null;
        },
        runRetraining: async () => {
          const run = runs.get(key);
          if (!run) throw new Error('This dashboard is closed.');
          return retrain(run.result, alertsOf(run.result), run.target.uri);
        },
        closed: () => {
          const run = runs.get(key);
          if (run) stopWatch(run);
          runs.delete(key);
          if (active === key) active = undefined;
        },
      });
      const dashboards = new MonitorDashboards(context.extensionUri, log, controls);

      const monitorModel = runner.register<MonitorChoices, MonitorResult>({
        command: MONITOR_COMMANDS.monitorModel,
        action: 'Monitor Model',
        parse: (args) => parseMonitorArgs(MONITOR_COMMANDS.monitorModel, args, path.isAbsolute),
        pick: ({ model, name }) => pickMonitorChoices(model, dataPicker, servingLog, `Monitor ${name}`),
        panels: dashboards,
        key: ({ model }, choices) => (choices ? dashboardKey(model, choices.current) : undefined),
        quietCancel: true,
        run: async (target, choices) => {
          const { model, name, uri } = target;
          log.info(`Command ${MONITOR_COMMANDS.monitorModel}: ${model}, reference ${choices.reference}, current ${choices.current}`);
          await dataPicker.remember(model, choices.reference);
          const label = `${name} · ${path.basename(choices.current)}`;
          const params = monitorParams(model, choices, settings(uri).runtime);
          const result = await runner.run('monitor', params, { title: `Monitoring ${label}`, cancelled: `Monitoring ${label} was cancelled.` });
          const key = dashboardKey(model, choices.current);
          const old = runs.get(key);
          const wasWatching = old?.timer !== undefined;
          if (old) stopWatch(old);
          const run: Run = { target, params, label, result, time: new Date(), timer: undefined, running: false };
          runs.set(key, run);
          const panel = dashboards.show(key, `Monitoring: ${name}`, snapshotOf(run));
          active = key;
          panel.panel.onDidChangeViewState((e) => {
            if (e.webviewPanel.active) active = key;
          });
          if (wasWatching) toggle(key, true);
          log.info(`Monitored ${label}: ${result.chunks.length} chunks, ${result.alerts} alerts${result.warnings.length ? `; warnings: ${result.warnings.join('; ')}` : ''}`);
          return result;
        },
      });

      const guarded =
        <R>(action: string, fn: (args: Record<string, unknown> | undefined) => Promise<R>) =>
        async (arg?: unknown, more?: unknown): Promise<R | undefined> => {
          const args = isArgsObject(arg) ? arg : isArgsObject(more) ? more : undefined;
          try {
            return await fn(args);
          } catch (e) {
            const error = runner.fail(action, e);
            if (args) throw error;
            return undefined;
          }
        };

      const commands = [
        monitorModel,
        vscode.commands.registerCommand(MONITOR_COMMANDS.toggleWatch, guarded('Toggle Watch', async (args) => {
          if (!active) throw new Error('Open a Monitoring dashboard first (Monitor Model…).');
          return toggle(active, typeof args?.on === 'boolean' ? args.on : undefined);
        })),
        vscode.commands.registerCommand(MONITOR_COMMANDS.runRetraining, guarded('Run Retraining', async (args) => {
          const given = args?.result as MonitorResult | undefined;
          if (given !== undefined && (typeof given !== 'object' || !Array.isArray(given.chunks))) throw new Error(`${MONITOR_COMMANDS.runRetraining}: "result" must be a MonitorResult (what ptp.monitorModel resolves to).`);
          const run = active ? runs.get(active) : undefined;
          const result = given ?? run?.result;
          if (!result) throw new Error('Open a Monitoring dashboard first (Monitor Model…).');
          return retrain(result, alertsOf(result), run?.target.uri);
        })),
      ];
      // Run Retraining is enabled as soon as ptp.monitor.onAlert names something.
      const settingsChanged = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('ptp.monitor')) return;
        for (const [key, run] of runs) dashboards.update(key, snapshotOf(run));
      });
      const stopAll = { dispose: () => runs.forEach(stopWatch) };
      return { disposable: vscode.Disposable.from(...commands, settingsChanged, dashboards, stopAll), api: undefined };
    },
  };
}
