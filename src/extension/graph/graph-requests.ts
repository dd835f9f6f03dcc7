/**
 * Host side of the graph component's calls (GraphRequests in src/protocol/webview.ts), for the model editor's
 * Graph tab and the Compare panel. The host parses; the webview gets structure (GraphView) and, on request,
 * one node's attributes or one tensor's statistics — never weights wholesale. Saves go through a save dialog
 * and are written atomically.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { OnnxModel } from '../../core';
import type { GraphView } from '../../protocol/graph';
import type { GraphRequests, GraphSide, RequestSpec } from '../../protocol/webview';
import { loadCore } from '../shared/core-loader';
import { findTensorProto } from './tensor-lookup';
import { writeFileAtomic } from '../webview/write-atomic';

/** The model a graph request is about (per side in the Compare panel). */
export interface GraphSource {
  /** The opened model; throws (with a message for the user) when the file could not be opened. */
  model(): OnnxModel;
  readonly uri: vscode.Uri;
  /** `ptp.overview.maxInlineTensorElements` for this file. */
  maxInlineTensorElements(): number;
}

type Handlers = {
  readonly [K in keyof GraphRequests]: GraphRequests[K] extends RequestSpec<infer P, infer R> ? (params: P) => Promise<R> : never;
};

/** Graph views per opened model and path (dropped with the model when the file is re-read). */
const viewCache = new WeakMap<OnnxModel, Map<string, Promise<GraphView>>>();

export async function graphViewOf(model: OnnxModel, graphPath: string): Promise<GraphView> {
  let perModel = viewCache.get(model);
  if (!perModel) viewCache.set(model, (perModel = new Map()));
  let view = perModel.get(graphPath);
  if (!view) {
    const core = await loadCore();
    view = graphPath === 'main' ? core.loadGraphView(model, 'main') : Promise.resolve().then(() => core.buildGraphView(model, graphPath));
    perModel.set(graphPath, view);
    view.catch(() => perModel.delete(graphPath));
  }
  return view;
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || 'tensor').slice(0, 120);
}

export function graphRequestHandlers(sourceOf: (side: GraphSide | undefined) => GraphSource): Handlers {
  return {
    graph: async ({ path: graphPath, side }) => graphViewOf(sourceOf(side).model(), graphPath),
    nodeDetail: async ({ path: graphPath, nodeId, side }) => (await loadCore()).nodeDetail(sourceOf(side).model(), graphPath, nodeId),
    tensorDetail: async ({ path: graphPath, tensor, side }) => {
      const source = sourceOf(side);
      return (await loadCore()).tensorDetail(source.model(), graphPath, tensor, { maxElements: source.maxInlineTensorElements() });
    },
    saveNpy: async ({ path: graphPath, tensor, side }) => {
      const source = sourceOf(side);
      const model = source.model();
      const core = await loadCore();
      const proto = findTensorProto(core, model, graphPath, tensor);
      const target = await vscode.window.showSaveDialog({
        title: `Save ${tensor} as .npy`,
        defaultUri: vscode.Uri.joinPath(source.uri, '..', `${safeFileName(tensor)}.npy`),
        filters: { 'NumPy array': ['npy'] },
        saveLabel: 'Save',
      });
      if (!target) return { saved: null };
      await writeFileAtomic(target.fsPath, core.encodeNpy(await model.readTensor(proto)));
      return { saved: target.fsPath };
    },
    saveExport: async ({ kind, data, side }) => {
      const source = sourceOf(side);
      const base = path.basename(source.uri.fsPath, path.extname(source.uri.fsPath));
      const target = await vscode.window.showSaveDialog({
        title: `Export the graph as ${kind.toUpperCase()}`,
        defaultUri: vscode.Uri.joinPath(source.uri, '..', `${base}.graph.${kind}`),
        filters: kind === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
        saveLabel: 'Export',
      });
      if (!target) return { saved: null };
      await writeFileAtomic(target.fsPath, kind === 'svg' ? data : Buffer.from(data, 'base64'));
      return { saved: target.fsPath };
    },
  };
}
