/**
 * The model editor's Profile tab: Profile Model's per-node times as a sortable table (op, node, p50 time, share),
 * the whole-run median and the trace file. A row's node name opens it in the Graph tab.
 */
import type { NodeTiming, ProfileResult } from '../../src/protocol/evaluate';
import { h, replaceChildren } from '../shared/dom';
import type { ViewStateStore } from '../shared/view-state';
import type { OverviewViewState, ProfileSortKey } from './view-state';

export interface ProfileCallbacks {
  readonly onRun: () => void;
  readonly onShowNode: (name: string) => void;
}

const COLUMNS: readonly { key: ProfileSortKey; title: string; numeric: boolean }[] = [
  { key: 'op', title: 'Op', numeric: false },
  { key: 'node', title: 'Node', numeric: false },
  { key: 'time', title: 'Time (p50, µs)', numeric: true },
  { key: 'share', title: 'Share', numeric: true },
];

function compare(key: ProfileSortKey, a: NodeTiming, b: NodeTiming): number {
  switch (key) {
    case 'op':
      return a.op_type.localeCompare(b.op_type) || b.p50_us - a.p50_us;
    case 'node':
      return a.name.localeCompare(b.name);
    case 'time':
      return a.p50_us - b.p50_us;
    case 'share':
      return a.share - b.share;
  }
}

export class ProfileView {
  readonly element: HTMLElement = h('div', { class: 'profile-tab', 'data-testid': 'profile' });
  private result: ProfileResult | null = null;
  private notice: HTMLElement | null = null;
  private busy = false;

  constructor(
    private readonly store: ViewStateStore<OverviewViewState>,
    private readonly callbacks: ProfileCallbacks,
  ) {
    this.render();
  }

  show(result: ProfileResult | null): void {
    this.result = result;
    this.notice = null;
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  showNotice(kind: 'error' | 'info', text: string): void {
    this.notice = h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
    this.render();
  }

  private render(): void {
    const run = h('vscode-button', { appearance: this.result ? 'secondary' : 'primary', 'data-action': 'profile' }, this.result ? 'Profile Again' : 'Profile Model');
    if (this.busy) run.setAttribute('disabled', '');
    run.addEventListener('click', () => {
      if (!run.hasAttribute('disabled')) this.callbacks.onRun();
    });
    const r = this.result;
    if (!r) {
      replaceChildren(
        this.element,
        h('div', { class: 'profile-header' }, run),
        this.notice,
        h('p', { class: 'muted' }, 'Not profiled yet: Profile Model runs the model in ONNX Runtime with its profiler on generated inputs and shows the time of each node (also as colours on the Graph tab).'),
      );
      return;
    }
    const { key, descending } = this.store.get().profileSort;
    const rows = [...r.nodes].sort((a, b) => (descending ? -1 : 1) * compare(key, a, b));
    const header = h(
      'tr',
      null,
      ...COLUMNS.map((c) => {
        const sorted = c.key === key;
        const button = h('button', { type: 'button', class: 'sort', 'data-sort': c.key }, c.title, sorted ? (descending ? ' ▼' : ' ▲') : '');
        button.addEventListener('click', () => {
          this.store.update({ profileSort: { key: c.key, descending: sorted ? !descending : c.numeric } });
          this.render();
        });
        return h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': sorted ? (descending ? 'descending' : 'ascending') : 'none' }, button);
      }),
    );
    const body = rows.map((n) => {
      const link = h('button', { type: 'button', class: 'link name', title: 'Show in the Graph tab' }, n.name);
      link.addEventListener('click', () => this.callbacks.onShowNode(n.name));
      return h(
        'tr',
        { 'data-node': n.name },
        h('td', { class: 'op' }, n.op_type),
        h('td', null, link),
        h('td', { class: 'num', 'data-time': String(n.p50_us) }, n.p50_us.toFixed(1)),
        h('td', { class: 'num', 'data-share': String(n.share) }, `${(n.share * 100).toFixed(1)}%`),
      );
    });
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'profile-header' },
        h(
          'p',
          null,
          h('strong', { 'data-testid': 'run-p50' }, `${r.run_p50_ms.toFixed(3)} ms`),
          ` per run (median of ${r.runs}), ${r.nodes.length} nodes, ONNX Runtime ${r.ort_version}, graph optimizations ${r.graph_optimization_level}.`,
        ),
        run,
      ),
      this.notice,
      h('p', { class: 'muted' }, 'Trace: ', h('span', { class: 'path', 'data-testid': 'trace-file' }, r.profile_file)),
      h('table', { class: 'profile-table', 'aria-label': 'Node times' }, h('thead', null, header), h('tbody', null, ...body)),
    );
  }
}
