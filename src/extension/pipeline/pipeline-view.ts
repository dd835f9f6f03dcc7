/**
 * The Pipeline view (Explorer side bar, next to Models): the stages of the active (or last run) pipeline file with
 * their live status, durations and gate checks; the last finished run of a file is read from its run state
 * (`.ptp/pipelines/<name>/state.json` → `<last_run>/run.json`) when it is shown.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { PipelineRunResult, PipelineSpec, PipelineState } from '../../protocol/pipeline';
import { PIPELINE_COMMANDS } from './logic/pipeline-ids';
import { stageNodes, type CheckNode, type LiveRun, type StageNode } from './logic/pipeline-tree';

type Node = StageNode | CheckNode;

const ICONS: Record<StageNode['status'], [string, string?]> = {
  queued: ['circle-outline'],
  running: ['sync~spin'],
  done: ['check'],
  passed: ['pass', 'testing.iconPassed'],
  cached: ['history'],
  failed: ['error', 'testing.iconFailed'],
  skipped: ['circle-slash'],
  'awaiting-approval': ['question', 'notificationsWarningIcon.foreground'],
};

/** The last finished run recorded next to the pipeline file, if any. */
export async function lastRun(spec: PipelineSpec): Promise<PipelineRunResult | undefined> {
  const home = path.join(spec.dir, '.ptp', 'pipelines', spec.name);
  try {
    const state = JSON.parse(await readFile(path.join(home, 'state.json'), 'utf8')) as PipelineState;
    const run = state.last_run ? path.join(home, state.last_run, 'run.json') : undefined;
    return run && existsSync(run) ? (JSON.parse(await readFile(run, 'utf8')) as PipelineRunResult) : undefined;
  } catch {
    return undefined;
  }
}

export class PipelineView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private spec: PipelineSpec | undefined;
  private live: LiveRun = { stages: [] };
  private running = false;

  constructor(viewId: string) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this });
  }

  /** The pipeline file shown. */
  get file(): string | undefined {
    return this.spec?.file;
  }

  get lastResult(): PipelineRunResult | undefined {
    return this.live.result;
  }

  /** Shows `spec` with its last recorded run (not while a run of another file is going). */
  async show(spec: PipelineSpec): Promise<void> {
    if (this.running && spec.file !== this.spec?.file) return;
    const same = spec.file === this.spec?.file;
    this.spec = spec;
    const result = (same ? this.live.result : undefined) ?? (await lastRun(spec));
    this.set({ stages: stagesOf(spec), ...(result ? { result } : {}) });
    this.view.description = path.basename(spec.file);
  }

  start(spec: PipelineSpec): void {
    this.running = true;
    this.spec = spec;
    this.view.description = path.basename(spec.file);
    this.set({ stages: stagesOf(spec), started: [] });
  }

  progress(stage: string): void {
    const started = [...(this.live.started ?? [])];
    if (!started.includes(stage)) started.push(stage);
    this.set({ ...this.live, running: stage, started });
  }

  /** The run ended: its result, or undefined (failed or cancelled: the last recorded run is shown again). */
  async finish(result: PipelineRunResult | undefined): Promise<void> {
    this.running = false;
    const spec = this.spec;
    if (!spec) return;
    const shown = result ?? (await lastRun(spec));
    this.set({ stages: stagesOf(spec), ...(shown ? { result: shown } : {}) });
  }

  private set(live: LiveRun): void {
    this.live = live;
    this.changed.fire(undefined);
  }

  nodes(): StageNode[] {
    return stageNodes(this.live);
  }

  getChildren(node?: Node): Node[] {
    return node ? (node.kind === 'stage' ? [...node.children] : []) : this.nodes();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'check') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.tooltip = `${node.label}\n${node.description}`;
      item.contextValue = 'ptp.pipeline.check';
      return item;
    }
    const item = new vscode.TreeItem(node.label, node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `${this.spec?.file ?? ''}#${node.id}`;
    item.description = node.description;
    const tooltip = new vscode.MarkdownString(node.tooltip);
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.contextValue = node.contextValue;
    const [icon, color] = ICONS[node.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.command = { command: PIPELINE_COMMANDS.openStage, title: 'Open', arguments: [node] };
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

const stagesOf = (spec: PipelineSpec) => spec.stages.map((s) => ({ id: s.id, run: s.run, line: s.at.line }));
