/**
 * The model overview page: header (file, actions), facts, collapsible sections, and result tabs for
 * Validate / Run on Sample Inputs. All model text goes in as text nodes (see ../shared/dom.ts).
 */
import type { InspectResult, ValidateResult, ValueSummary } from '../../src/protocol/report-types';
import type { FileInfo, OverviewSnapshot } from '../../src/protocol/webview';
import type { SampleResult } from '../../src/protocol/worker';
import { h, replaceChildren, type Child } from '../shared/dom';
import {
  formatBytes,
  formatCompact,
  formatCount,
  formatDim,
  formatValueType,
  groupExternalData,
  plural,
  sortOpsets,
} from '../shared/format';
import { dataGrid } from '../shared/grid';
import { renderSampleResult } from '../shared/sample-view';
import type { ViewStateStore } from '../shared/view-state';
import { renderHistogram } from './histogram';
import { renderValidation } from './validation-view';
import type { OverviewViewState, ResultsTab } from './view-state';

export type Action = 'validate' | 'sample';

export interface PageCallbacks {
  readonly onAction: (action: Action) => void;
}

export class OverviewPage {
  private readonly buttons = new Map<Action, HTMLElement>();
  private readonly busy = new Set<Action>();
  private readonly ring: HTMLElement = h('vscode-progress-ring', { class: 'busy', hidden: true, 'aria-label': 'Working' });
  private readonly resultViews = new Map<ResultsTab, HTMLElement>();
  private panels: HTMLElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: ViewStateStore<OverviewViewState>,
    private readonly callbacks: PageCallbacks,
  ) {}

  render(snapshot: OverviewSnapshot): void {
    this.buttons.clear();
    this.resultViews.clear();
    const header = this.header(snapshot.file, snapshot.status === 'ok');
    if (snapshot.status === 'error') {
      replaceChildren(
        this.root,
        header,
        h(
          'section',
          { class: 'error-view', role: 'alert' },
          h('h2', null, `Cannot open ${snapshot.file.name}`),
          h('p', { class: 'message' }, snapshot.error.message),
          h('p', { class: 'muted' }, 'Run Validate to list the problem in the Problems panel.'),
        ),
        this.results(),
      );
      return;
    }
    const o = snapshot.overview;
    replaceChildren(
      this.root,
      header,
      this.facts(o),
      this.section('io', 'Inputs & outputs', `${o.inputs.length} / ${o.outputs.length}`, [
        h('h3', null, `Inputs (${o.inputs.length})`),
        valueGrid('Inputs', o.inputs),
        h('h3', null, `Outputs (${o.outputs.length})`),
        valueGrid('Outputs', o.outputs),
      ]),
      this.section('operators', 'Operators', Object.keys(o.op_histogram).length, [renderHistogram(o.op_histogram)]),
      o.doc_string ? this.section('doc', 'Documentation', undefined, [h('pre', { class: 'doc' }, o.doc_string)]) : null,
      this.metadata(o),
      this.externalData(o),
      this.results(),
    );
    if (snapshot.validation) this.showValidation(snapshot.validation, false);
    if (snapshot.sample) this.showSample(snapshot.sample, false);
  }

  setBusy(action: Action, busy: boolean): void {
    if (busy) this.busy.add(action);
    else this.busy.delete(action);
    const button = this.buttons.get(action);
    if (button) button.toggleAttribute('disabled', busy || button.dataset.unavailable === 'true');
    this.ring.hidden = this.busy.size === 0;
    this.root.setAttribute('aria-busy', String(this.busy.size > 0));
  }

  showValidation(result: ValidateResult, focus = true): void {
    this.showResult('validation', renderValidation(result), focus);
  }

  showSample(result: SampleResult, focus = true): void {
    this.showResult('sample', renderSampleResult(result), focus);
  }

  /** An inline message in a result tab (error, or information after a cancel). */
  showNotice(tab: ResultsTab, kind: 'error' | 'info', text: string): void {
    this.showResult(tab, h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text), true);
  }

  private showResult(tab: ResultsTab, content: HTMLElement, focus: boolean): void {
    const view = this.resultViews.get(tab);
    if (!view) return;
    replaceChildren(view, content);
    if (focus) this.selectTab(tab);
  }

  private selectTab(tab: ResultsTab): void {
    this.panels?.setAttribute('activeid', `tab-${tab}`);
    this.store.update({ resultsTab: tab });
  }

  private header(file: FileInfo, modelOk: boolean): HTMLElement {
    const button = (action: Action, label: string, title: string, available: boolean) => {
      const b = h('vscode-button', { appearance: action === 'validate' ? 'primary' : 'secondary', title, 'data-action': action }, label);
      b.dataset.unavailable = String(!available);
      if (!available || this.busy.has(action)) b.setAttribute('disabled', '');
      b.addEventListener('click', () => {
        if (!b.hasAttribute('disabled')) this.callbacks.onAction(action);
      });
      this.buttons.set(action, b);
      return b;
    };
    this.ring.hidden = this.busy.size === 0;
    return h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        { class: 'title' },
        h('h1', null, file.name),
        h('div', { class: 'subtitle muted' }, file.size !== null ? `${formatBytes(file.size)} · ` : '', h('span', { class: 'path' }, file.path)),
      ),
      h(
        'div',
        { class: 'actions' },
        this.ring,
        button('validate', 'Validate', 'Structural checks and an ONNX Runtime load test; findings go to the Problems panel', true),
        button('sample', 'Run on Sample Inputs', 'Run the model once in ONNX Runtime on generated inputs', modelOk),
      ),
    );
  }

  private facts(o: InspectResult): HTMLElement {
    const opsets = sortOpsets(o.opset_import);
    const producer = [o.producer_name, o.producer_version].filter(Boolean).join(' ');
    const external = groupExternalData(o.external_data);
    const fact = (label: string, ...value: Child[]) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, ...value));
    return h(
      'dl',
      { class: 'facts', 'aria-label': 'Model facts' },
      fact('IR version', String(o.ir_version)),
      fact('Opsets', opsets.length ? opsets.map(([d, v]) => `${d} ${v}`).join(', ') : '—'),
      fact('Producer', producer || '—'),
      fact('Model version', String(o.model_version)),
      fact('Graph', o.graph_name || '—'),
      fact('Nodes', formatCount(o.node_count), h('span', { class: 'muted' }, ` (${formatCount(o.node_count_total)} incl. subgraphs)`)),
      fact('Subgraphs', formatCount(o.subgraph_count)),
      fact('Functions', formatCount(o.function_count)),
      fact('Parameters', formatCount(o.parameter_count), o.parameter_count >= 1000 ? h('span', { class: 'muted' }, ` (${formatCompact(o.parameter_count)})`) : null),
      fact('Weights', formatBytes(o.initializer_bytes)),
      fact(
        'Initializers',
        formatCount(o.initializer_count),
        o.sparse_initializer_count ? h('span', { class: 'muted' }, ` + ${formatCount(o.sparse_initializer_count)} sparse`) : null,
      ),
      fact('External data', external.length ? plural(external.length, 'file') : 'none'),
    );
  }

  private metadata(o: InspectResult): HTMLElement | null {
    const entries = Object.entries(o.metadata_props);
    if (entries.length === 0) return null;
    return this.section('metadata', 'Metadata', entries.length, [
      dataGrid(
        'Metadata properties',
        [
          { title: 'Key', min: '8em' },
          { title: 'Value', min: '12em', grow: 3 },
        ],
        entries.map(([k, v]) => [h('span', { class: 'name' }, k), h('span', { class: 'meta-value' }, v)]),
      ),
    ]);
  }

  private externalData(o: InspectResult): HTMLElement | null {
    const files = groupExternalData(o.external_data);
    if (files.length === 0) return null;
    return this.section('external', 'External data', files.length, [
      dataGrid(
        'External data files',
        [
          { title: 'File', min: '10em', grow: 3 },
          { title: 'Tensors', numeric: true, min: '5em' },
          { title: 'Bytes', numeric: true, min: '6em' },
        ],
        files.map((f) => [h('span', { class: 'name' }, f.location || '(no location)'), formatCount(f.tensors), formatBytes(f.bytes)]),
      ),
    ]);
  }

  private results(): HTMLElement {
    const tab = (id: ResultsTab, label: string) => h('vscode-panel-tab', { id: `tab-${id}` }, label);
    const view = (id: ResultsTab, placeholder: string) => {
      const v = h('vscode-panel-view', { id: `view-${id}` }, h('p', { class: 'muted' }, placeholder));
      this.resultViews.set(id, v);
      return v;
    };
    const panels = h(
      'vscode-panels',
      { activeid: `tab-${this.store.get().resultsTab}`, 'aria-label': 'Results' },
      tab('validation', 'Validation'),
      tab('sample', 'Sample Run'),
      view('validation', 'Not validated yet: click Validate to run the structural checks and the ONNX Runtime load test.'),
      view('sample', 'No sample run yet: click Run on Sample Inputs to run the model on generated inputs.'),
    );
    panels.addEventListener('change', () => {
      const active = panels.getAttribute('activeid') ?? (panels as HTMLElement & { activeid?: string }).activeid;
      if (active === 'tab-validation' || active === 'tab-sample') this.store.update({ resultsTab: active.slice(4) as ResultsTab });
    });
    this.panels = panels;
    return h('section', { class: 'results', 'aria-label': 'Results' }, panels);
  }

  private section(id: string, title: string, badge: string | number | undefined, content: Child[]): HTMLElement {
    const details = h('details', { class: 'section', id: `section-${id}`, open: !this.store.get().closedSections.includes(id) });
    details.append(
      h('summary', null, h('span', { class: 'section-title' }, title), badge !== undefined ? h('vscode-badge', null, String(badge)) : null),
      h('div', { class: 'section-body' }, ...content),
    );
    details.addEventListener('toggle', () => {
      const closed = new Set(this.store.get().closedSections);
      if (details.open) closed.delete(id);
      else closed.add(id);
      this.store.update({ closedSections: [...closed] });
    });
    return details;
  }
}

function valueGrid(label: string, values: readonly ValueSummary[]): HTMLElement {
  if (values.length === 0) return h('p', { class: 'muted' }, 'None.');
  return dataGrid(
    label,
    [
      { title: 'Name', min: '8em', grow: 2 },
      { title: 'Kind', min: '7em', grow: 0.8 },
      { title: 'Type', min: '8em' },
      { title: 'Shape', min: '8em', grow: 2 },
    ],
    values.map((v) => [h('span', { class: 'name' }, v.name), v.kind, formatValueType(v), shapeNodes(v.shape)]),
  );
}

/** A shape with symbolic dims set apart (italic, with a tooltip). */
function shapeNodes(shape: ValueSummary['shape']): HTMLElement {
  if (shape === null) return h('span', { class: 'muted' }, 'unknown rank');
  if (shape.length === 0) return h('span', null, 'scalar');
  const parts: Child[] = ['['];
  shape.forEach((d, i) => {
    if (i > 0) parts.push(', ');
    parts.push(
      typeof d === 'string'
        ? h('span', { class: 'sym', title: 'symbolic dimension' }, d)
        : d === null
          ? h('span', { class: 'muted', title: 'unknown dimension' }, formatDim(d))
          : String(d),
    );
  });
  parts.push(']');
  return h('span', { class: 'shape mono' }, ...parts);
}
