/**
 * The retraining trigger (`ptp.monitor.onAlert`): a VS Code task by name (vscode.tasks.fetchTasks) or
 * `shell: <command>`. The alert JSON is written to a temp file whose path is the env var PTP_ALERT_FILE of the
 * task or command; a shell command also gets the JSON on stdin. A task's execution is re-created with that env
 * added. The command string is the user's setting as typed: nothing from the data is spliced into it.
 */
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AlertPayload } from './logic/alerts';
import { ALERT_FILE_ENV, describeOnAlert, type OnAlert } from './logic/on-alert';

export interface Retraining {
  /** What was started: `task "retrain"` or `command "…"`. */
  readonly started: string;
  /** The alert file (PTP_ALERT_FILE). */
  readonly alertFile: string;
}

/** Writes the alert file and starts the task or command of `onAlert`; throws when there is none or the task is not found. */
export async function runRetraining(onAlert: OnAlert, payload: AlertPayload, log: vscode.LogOutputChannel): Promise<Retraining> {
  if (!onAlert) throw new Error('No retraining trigger: set "ptp.monitor.onAlert" to a task name or "shell: <command>".');
  const dir = mkdtempSync(path.join(tmpdir(), 'ptp-alert-'));
  const alertFile = path.join(dir, 'alert.json');
  const json = `${JSON.stringify(payload, null, 2)}\n`;
  writeFileSync(alertFile, json);
  const started = describeOnAlert(onAlert)!;
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dir;
  if (onAlert.kind === 'shell') {
    const child = spawn(onAlert.command, { shell: true, cwd, env: { ...process.env, [ALERT_FILE_ENV]: alertFile }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => log.info(`onAlert: ${d.toString().trimEnd()}`));
    child.stderr.on('data', (d: Buffer) => log.warn(`onAlert: ${d.toString().trimEnd()}`));
    child.on('error', (e) => log.error(`onAlert ${started}: ${e.message}`));
    child.on('exit', (code, signal) => log.info(`onAlert ${started} exited with ${signal ?? code}`));
    child.stdin.on('error', () => undefined);
    child.stdin.end(json);
  } else {
    const task = (await vscode.tasks.fetchTasks()).find((t) => t.name === onAlert.name);
    if (!task) throw new Error(`"ptp.monitor.onAlert" names the task "${onAlert.name}", but no such task is defined (tasks.json or a task provider).`);
    await vscode.tasks.executeTask(withEnv(task, { [ALERT_FILE_ENV]: alertFile }, log));
  }
  log.info(`Retraining: started ${started} with ${ALERT_FILE_ENV}=${alertFile}`);
  return { started, alertFile };
}

/** A copy of `task` whose shell or process execution has `env` added (a custom execution runs as it is). */
function withEnv(task: vscode.Task, env: Record<string, string>, log: vscode.LogOutputChannel): vscode.Task {
  const exec = task.execution;
  let execution: vscode.ShellExecution | vscode.ProcessExecution | vscode.CustomExecution | undefined = exec;
  if (exec instanceof vscode.ShellExecution) {
    const options: vscode.ShellExecutionOptions = { ...exec.options, env: { ...exec.options?.env, ...env } };
    execution = exec.commandLine !== undefined ? new vscode.ShellExecution(exec.commandLine, options) : new vscode.ShellExecution(exec.command!, exec.args ?? [], options);
  } else if (exec instanceof vscode.ProcessExecution) {
    execution = new vscode.ProcessExecution(exec.process, exec.args, { ...exec.options, env: { ...exec.options?.env, ...env } });
  } else {
    log.warn(`The task "${task.name}" has a custom execution: ${Object.keys(env).join(', ')} cannot be passed to it.`);
  }
  const copy = new vscode.Task(task.definition, task.scope ?? vscode.TaskScope.Workspace, task.name, task.source, execution, task.problemMatchers);
  copy.presentationOptions = task.presentationOptions;
  copy.group = task.group;
  return copy;
}
