/**
 * Profile Model: runs the worker op `profile` (onnxruntime's per-node profiler; the op writes the trace JSON
 * next to the model) under a cancellable progress notification, then shows the node times as the `profile`
 * overlay of that model's Graph tab (p50 µs per node, gradient, higher is worse) and keeps the latest result
 * per file for the model editor's Profile tab.
 */
import * as vscode from 'vscode';
import type { ProfileResult } from '../../protocol/evaluate';
import type { Overlay } from '../../protocol/graph';
import { runtimeOptions, type PtpSettings } from '../config/logic/ptp-settings';
import type { GraphOverlays } from '../shared/graph-overlays';
import { fileName, modelPath } from '../shared/model-file';
import type { OperationRunner } from '../shared/operation-runner';

export const PROFILE_OVERLAY_ID = 'profile';

/** The overlay of a profile: p50 µs by node name. */
export function profileOverlay(result: ProfileResult): Overlay {
  const values: Record<string, number> = {};
  for (const n of result.nodes) values[n.name] = n.p50_us;
  return { id: PROFILE_OVERLAY_ID, title: 'Node time (p50)', unit: 'µs', values, scale: { kind: 'gradient' }, higherIsWorse: true };
}

export class ProfileService implements vscode.Disposable {
  private readonly latest = new Map<string, ProfileResult>();
  /** Files whose model editor should show the Profile tab when it opens next (the command just profiled them). */
  private readonly reveal = new Set<string>();
  private readonly didProfile = new vscode.EventEmitter<{ readonly path: string; readonly result: ProfileResult }>();
  readonly onDidProfile = this.didProfile.event;

  constructor(
    private readonly runner: OperationRunner,
    private readonly overlays: GraphOverlays,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: (scope: vscode.Uri) => PtpSettings,
  ) {}

  latestFor(path: string): ProfileResult | null {
    return this.latest.get(path) ?? null;
  }

  /** True once after a profile of `path` that no open editor showed yet. */
  takeReveal(path: string): boolean {
    return this.reveal.delete(path);
  }

  async run(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<ProfileResult> {
    const path = modelPath(uri);
    const name = fileName(uri);
    const settings = this.settings(uri);
    const result = await this.runner.run('profile', { model: path, ...runtimeOptions(settings), symbolicDimValue: settings.symbolicDimValue }, { title: `Profiling ${name}`, cancelled: `Profiling ${name} was cancelled.`, ...(token ? { token } : {}) });
    const top = [...result.nodes].sort((a, b) => b.p50_us - a.p50_us).slice(0, 5);
    this.log.info(
      `Profiled ${path}: run p50 ${result.run_p50_ms.toFixed(3)} ms over ${result.runs} runs, ${result.nodes.length} nodes, trace ${result.profile_file}; ` +
        `slowest: ${top.map((n) => `${n.name} ${n.p50_us.toFixed(1)} µs`).join(', ')}`,
    );
    this.latest.set(path, result);
    this.reveal.add(path);
    this.overlays.set(path, { overlay: profileOverlay(result) });
    this.didProfile.fire({ path, result });
    return result;
  }

  /** Tells the user how a run failed: cancellation as information; a crashed worker was already reported. */
  reportFailure(uri: vscode.Uri, e: unknown): void {
    this.runner.fail('Profile Model', e, { file: uri.fsPath });
  }


  dispose(): void {
    this.didProfile.dispose();
  }
}
