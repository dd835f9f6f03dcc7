/**
 * Entry of the Compare Models panel: two models' main graphs side by side (createCompareView: synced
 * selection, added/removed/changed outlined) with the diff list. Handshake: ready → snapshot.
 */
import '../shared/base.css';
import '../graph/graph.css';
import './compare.css';
import type { CompareChannel, CompareSnapshot } from '../../src/protocol/webview';
import { createCompareView, type CompareComponent } from '../graph/index';
import { h, replaceChildren } from '../shared/dom';
import { formatBytes } from '../shared/format';
import { HostClient } from '../shared/host-client';
import { vscodeApi } from '../shared/vscode-api';
import { graphHost, type GraphRequester } from '../graph/host';

const api = vscodeApi<unknown>();
const client = new HostClient<CompareChannel>(api);
const requester: GraphRequester = { request: (method, params) => client.request(method, params) };
const root = document.getElementById('app')!;
let view: CompareComponent | null = null;

function render(s: CompareSnapshot): void {
  view?.dispose();
  const side = (label: string, f: CompareSnapshot['left']) =>
    h('div', { class: 'compare-file' }, h('span', { class: 'muted' }, `${label}: `), h('span', { class: 'name' }, f.file.name), f.file.size !== null ? h('span', { class: 'muted' }, ` · ${formatBytes(f.file.size)}`) : null);
  const summary = `${s.diff.added.length} added · ${s.diff.removed.length} removed · ${s.diff.changed.length} changed`;
  const graphs = h('div', { class: 'compare-graphs' });
  replaceChildren(
    root,
    h('header', { class: 'compare-header' }, side('Before', s.left), side('After', s.right), h('span', { class: 'compare-summary', 'data-testid': 'diff-summary' }, summary)),
    graphs,
  );
  view = createCompareView(graphs, { left: graphHost(requester, 'left'), right: graphHost(requester, 'right') }, s.left.view, s.right.view, s.diff, {
    ...(s.layoutWorker ? { layoutWorker: s.layoutWorker } : {}),
  });
  root.removeAttribute('aria-busy');
  document.body.dataset.viewState = 'ready';
}

client.on('snapshot', render);
client.request('ready', null).then(render, (e: unknown) => {
  replaceChildren(root, h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The comparison could not load'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))));
  document.body.dataset.viewState = 'error';
});
