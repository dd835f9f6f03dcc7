/** The page header of every mode: title, facts, the export buttons (Copy JSON, Save JSON…) and their status. */
import type { ExportOutcome } from '../../src/protocol/webview';
import { h, type Child } from './dom';

export interface HeaderActions {
  copyJson(): Promise<ExportOutcome>;
  saveJson(): Promise<ExportOutcome>;
}

export function button(label: string, action: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary'): HTMLElement {
  const b = h('vscode-button', { appearance, 'data-action': action }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function pageHeader(title: string, subtitle: Child, actions: HeaderActions): HTMLElement {
  const status = h('span', { class: 'export-status muted', role: 'status', 'aria-live': 'polite' });
  const run = (what: () => Promise<ExportOutcome>, done: (o: ExportOutcome) => string) => {
    status.textContent = '';
    what().then(
      (o) => (status.textContent = o.done ? done(o) : ''),
      (e: unknown) => (status.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  return h(
    'header',
    { class: 'page-header' },
    h('div', { class: 'title' }, h('h1', null, title), h('div', { class: 'subtitle muted' }, subtitle)),
    h(
      'div',
      { class: 'actions' },
      status,
      button('Copy JSON', 'copy-json', () => run(actions.copyJson, () => 'Copied to the clipboard')),
      button('Save JSON…', 'save-json', () => run(actions.saveJson, (o) => `Saved ${o.file ?? ''}`)),
    ),
  );
}
