/** Entry of the model overview webview (custom editor ptp.modelEditor). Handshake: ready → snapshot. */
import '../shared/base.css';
import './overview.css';
import type { OverviewChannel, OverviewSnapshot } from '../../src/protocol/webview';
import { h, replaceChildren } from '../shared/dom';
import { HostClient, HostRequestError } from '../shared/host-client';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';
import { OverviewPage, type Action } from './overview-page';
import { DEFAULT_VIEW_STATE, type OverviewViewState } from './view-state';

registerToolkit();

const api = vscodeApi<OverviewViewState>();
const store = new ViewStateStore(api, DEFAULT_VIEW_STATE);
const client = new HostClient<OverviewChannel>(api);
const root = document.getElementById('app')!;
const page = new OverviewPage(root, store, { onAction: (action) => void run(action) });
let restoredScroll = false;

function render(snapshot: OverviewSnapshot): void {
  page.render(snapshot);
  root.removeAttribute('aria-busy');
  document.body.dataset.viewState = snapshot.status === 'ok' ? 'ready' : 'error';
  if (!restoredScroll) {
    restoredScroll = true;
    const y = store.get().scrollY;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  }
}

async function run(action: Action): Promise<void> {
  const tab = action === 'validate' ? 'validation' : 'sample';
  page.setBusy(action, true);
  try {
    if (action === 'validate') page.showValidation(await client.request('validate', null));
    else page.showSample(await client.request('runSample', null));
  } catch (e) {
    if (e instanceof HostRequestError && e.cancelled) page.showNotice(tab, 'info', e.message);
    else page.showNotice(tab, 'error', e instanceof Error ? e.message : String(e));
  } finally {
    page.setBusy(action, false);
  }
}

client.on('snapshot', render);
client.on('validation', (result) => page.showValidation(result, false));
client.on('sample', (result) => page.showSample(result, false));
trackScroll((scrollY) => store.update({ scrollY }));

client.request('ready', null).then(render, (e: unknown) => {
  replaceChildren(
    root,
    h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The overview could not load'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))),
  );
  document.body.dataset.viewState = 'error';
});
