/**
 * Profile Model and Compare Models (structural).
 *
 *   executeCommand('ptp.profileModel', uri)            → ProfileResult (Profile tab + `profile` overlay)
 *   executeCommand('ptp.compareModels', uriA, uriB)    → GraphDiff (Compare panel)
 *   executeCommand('ptp.compareModels', uri, [uriA, uriB])   (the Explorer's multi-selection)
 *
 * Called with model URIs (scripts, tests) a failure rejects after the notification a user gets; run
 * interactively it resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ProfileResult } from '../../protocol/evaluate';
import { activeModelUri, isOnnxUri, resolveModelUri } from '../shared/model-target';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { fileName } from '../shared/model-file';
import type { OperationRunner } from '../shared/operation-runner';
import { GRAPH_COMMANDS } from './logic/graph-ids';
import type { ComparePanels } from './compare-panel';
import type { ProfileService } from './profile-service';


function asUri(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string' && path.isAbsolute(x)) return vscode.Uri.file(x);
  return undefined;
}

/** The two models: the Explorer's multi-selection, two URIs/paths, or picked in open dialogs. */
async function resolvePair(arg: unknown, second: unknown): Promise<{ uris: [vscode.Uri, vscode.Uri]; scripted: boolean } | undefined> {
  if (Array.isArray(second)) {
    const onnx = second.map(asUri).filter((u): u is vscode.Uri => u !== undefined && isOnnxUri(u));
    if (onnx.length === 2) return { uris: [onnx[0]!, onnx[1]!], scripted: false };
    if (onnx.length > 2) throw new Error(`Compare Models compares two models; ${onnx.length} are selected.`);
  }
  const a = asUri(arg);
  const b = asUri(second);
  if (a && b) return { uris: [a, b], scripted: true };
  const first = a ?? activeModelUri();
  const pick = async (title: string, from?: vscode.Uri) =>
    (
      await vscode.window.showOpenDialog({
        title,
        defaultUri: from ? vscode.Uri.joinPath(from, '..') : undefined,
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: true,
        filters: { 'ONNX models': ['onnx'] },
        openLabel: 'Compare',
      })
    )?.filter(isOnnxUri);
  const picked = first ? [first] : ((await pick('Compare Models: choose two ONNX models (or the first one)')) ?? []);
  if (picked.length === 0) return undefined;
  if (picked.length < 2) {
    const more = await pick(`Compare ${fileName(picked[0]!)} with…`, picked[0]);
    if (!more || more.length === 0) return undefined;
    picked.push(more[0]!);
  }
  return { uris: [picked[0]!, picked[1]!], scripted: false };
}

export function registerGraphCommands(deps: {
  readonly log: vscode.LogOutputChannel;
  readonly runner: OperationRunner;
  readonly profiles: ProfileService;
  readonly comparePanels: ComparePanels;
}): vscode.Disposable {
  const { log, runner, profiles, comparePanels } = deps;

  const profileModel = async (arg?: unknown): Promise<ProfileResult | undefined> => {
    const scripted = asUri(arg) !== undefined;
    const uri = await resolveModelUri(arg, 'Profile Model');
    if (!uri) return undefined;
    log.info(`Command ${GRAPH_COMMANDS.profileModel}: ${uri.fsPath}`);
    try {
      const result = await profiles.run(uri);
      await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_EDITOR_VIEW_TYPE, { preserveFocus: scripted });
      return result;
    } catch (e) {
      const error = runner.fail('Profile Model', e, { file: uri.fsPath });
      if (scripted) throw error;
      return undefined;
    }
  };

  const compareModels = async (arg?: unknown, second?: unknown) => {
    let scripted = false;
    try {
      const pair = await resolvePair(arg, second);
      if (!pair) return undefined;
      scripted = pair.scripted;
      log.info(`Command ${GRAPH_COMMANDS.compareModels}: ${pair.uris[0].fsPath} ↔ ${pair.uris[1].fsPath}`);
      return await comparePanels.compare(pair.uris[0], pair.uris[1]);
    } catch (e) {
      const error = runner.fail('Compare Models', e);
      if (scripted) throw error;
      return undefined;
    }
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(GRAPH_COMMANDS.profileModel, profileModel),
    vscode.commands.registerCommand(GRAPH_COMMANDS.compareModels, compareModels),
  );
}
