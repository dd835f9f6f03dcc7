/**
 * Entry of the model editor webview (custom editor ptp.modelEditor): Overview, Graph and Profile tabs.
 * Handshake: ready → snapshot. The Graph tab loads its graph when first shown.
 */
import '../shared/base.css';
import '../graph/graph.css';
import './overview.css';
import type { OverviewChannel, OverviewSnapshot } from '../../src/protocol/webview';
import { h, replaceChildren } from '../shared/dom';
import { HostClient, HostRequestError } from '../shared/host-client';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';
import { GraphTab } from './graph-tab';
import { OverviewPage, type Action } from './overview-page';
import { ProfileView } from './profile-view';
import { DEFAULT_VIEW_STATE, type MainTab, type OverviewViewState } from './view-state';

registerToolkit();

const api = vscodeApi<OverviewViewState>();
const store = new ViewStateStore(api, DEFAULT_VIEW_STATE);
const client = new HostClient<OverviewChannel>(api);
const root = document.getElementById('app')!;
const overviewRoot = h('div', { class: 'overview-root' });
const page = new OverviewPage(overviewRoot, store, { onAction: (action) => void run(action) });
const graphTab = new GraphTab(
  {
    request: (method, params) => client.request(method, params),
    runNodeAction: async (actionId, node) => {
      await client.request('nodeAction', { actionId, node });
    },
  },
  store,
);
const profile = new ProfileView(store, { onRun: () => void runProfile(), onShowNode: (name) => void showNode(name) });
const TABS: readonly MainTab[] = ['overview', 'graph', 'profile'];
const mainPanels = h(
  'vscode-panels',
  { class: 'main-tabs', activeid: `main-tab-${store.get().mainTab}`, 'aria-label': 'Model editor' },
  h('vscode-panel-tab', { id: 'main-tab-overview', 'data-tab': 'overview' }, 'Overview'),
  h('vscode-panel-tab', { id: 'main-tab-graph', 'data-tab': 'graph' }, 'Graph'),
  h('vscode-panel-tab', { id: 'main-tab-profile', 'data-tab': 'profile' }, 'Profile'),
  h('vscode-panel-view', { id: 'main-view-overview' }, overviewRoot),
  h('vscode-panel-view', { id: 'main-view-graph', class: 'graph-view' }, graphTab.element),
  h('vscode-panel-view', { id: 'main-view-profile' }, profile.element),
);
let restoredScroll = false;
let modelOk = false;

function activeTab(): MainTab {
  const id = mainPanels.getAttribute('activeid') ?? (mainPanels as HTMLElement & { activeid?: string }).activeid ?? '';
  const tab = id.replace('main-tab-', '') as MainTab;
  return TABS.includes(tab) ? tab : 'overview';
}

function onTabShown(tab: MainTab): void {
  document.body.dataset.activeTab = tab;
  if (tab === 'graph' && modelOk) void graphTab.ensureLoaded();
}

function selectTab(tab: MainTab): void {
  mainPanels.setAttribute('activeid', `main-tab-${tab}`);
  store.update({ mainTab: tab });
  onTabShown(tab);
}

mainPanels.addEventListener('change', (event) => {
  if (event.target !== mainPanels) return; // the Overview's own result tabs bubble up too
  // The event carries the new tab; the activeid attribute is updated only after it.
  const detail = (event as CustomEvent<unknown>).detail;
  const id = detail instanceof HTMLElement ? detail.id : '';
  const tab = (TABS as readonly string[]).includes(id.replace('main-tab-', '')) ? (id.replace('main-tab-', '') as MainTab) : activeTab();
  store.update({ mainTab: tab });
  onTabShown(tab);
});

function render(snapshot: OverviewSnapshot): void {
  if (!mainPanels.isConnected) replaceChildren(root, mainPanels);
  page.render(snapshot);
  root.removeAttribute('aria-busy');
  modelOk = snapshot.status === 'ok';
  if (snapshot.status === 'ok') {
    graphTab.reset(snapshot.layoutWorker);
    graphTab.setOverlay(snapshot.overlay);
    profile.show(snapshot.profile);
    if (snapshot.revealProfile) selectTab('profile');
    else if (snapshot.overlay?.reveal) selectTab('graph');
  } else {
    graphTab.showError(`Cannot open ${snapshot.file.name}: ${snapshot.error.message}`);
    profile.show(null);
  }
  document.body.dataset.viewState = snapshot.status === 'ok' ? 'ready' : 'error';
  onTabShown(activeTab());
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

async function runProfile(): Promise<void> {
  profile.setBusy(true);
  try {
    profile.show(await client.request('runProfile', null));
  } catch (e) {
    profile.showNotice(e instanceof HostRequestError && e.cancelled ? 'info' : 'error', e instanceof Error ? e.message : String(e));
  } finally {
    profile.setBusy(false);
  }
}

async function showNode(name: string): Promise<void> {
  selectTab('graph');
  await graphTab.select(name);
}

client.on('snapshot', render);
client.on('validation', (result) => page.showValidation(result, false));
client.on('sample', (result) => page.showSample(result, false));
client.on('overlay', (state) => {
  graphTab.setOverlay(state);
  if (state?.reveal) selectTab('graph');
});
client.on('profile', (result) => {
  profile.show(result);
  selectTab('profile');
});
trackScroll((scrollY) => store.update({ scrollY }));

client.request('ready', null).then(render, (e: unknown) => {
  replaceChildren(
    root,
    h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The overview could not load'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))),
  );
  document.body.dataset.viewState = 'error';
});
