/** Entry of the sample-run panel (ptp.sampleResult): ready → snapshot; re-rendered when the host pushes a new run. */
import '../shared/base.css';
import type { SampleChannel, SampleSnapshot } from '../../src/protocol/webview';
import { h, replaceChildren } from '../shared/dom';
import { formatBytes } from '../shared/format';
import { HostClient } from '../shared/host-client';
import { renderSampleResult } from '../shared/sample-view';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';

interface SampleViewState {
  readonly scrollY: number;
}

registerToolkit();

const api = vscodeApi<SampleViewState>();
const store = new ViewStateStore<SampleViewState>(api, { scrollY: 0 });
const client = new HostClient<SampleChannel>(api);
const root = document.getElementById('app')!;
let restoredScroll = false;

function render(snapshot: SampleSnapshot): void {
  const { file, result } = snapshot;
  replaceChildren(
    root,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        { class: 'title' },
        h('h1', null, `Sample run: ${file.name}`),
        h('div', { class: 'subtitle muted' }, file.size !== null ? `${formatBytes(file.size)} · ` : '', h('span', { class: 'path' }, file.path)),
      ),
    ),
    renderSampleResult(result),
  );
  root.removeAttribute('aria-busy');
  document.body.dataset.viewState = 'ready';
  if (!restoredScroll) {
    restoredScroll = true;
    const y = store.get().scrollY;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  }
}

client.on('snapshot', render);
trackScroll((scrollY) => store.update({ scrollY }));
client.request('ready', null).then(render, (e: unknown) => {
  replaceChildren(root, h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The sample run could not be shown'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))));
  document.body.dataset.viewState = 'error';
});
