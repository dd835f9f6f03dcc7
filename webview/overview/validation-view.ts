/** Renders a ValidateResult: verdict, the runtime check, and the findings. */
import type { Finding, ValidateResult } from '../../src/protocol/report-types';
import { h } from '../shared/dom';
import { plural } from '../shared/format';
import { dataGrid } from '../shared/grid';

function where(f: Finding): string {
  return [f.graph && f.graph !== 'main' ? `graph ${f.graph}` : '', f.node ? `node ${f.node}` : '', f.tensor ? `tensor ${f.tensor}` : '']
    .filter(Boolean)
    .join(', ');
}

export function renderValidation(result: ValidateResult): HTMLElement {
  const verdict = result.valid
    ? h('p', { class: 'notice info verdict', role: 'status' }, `Valid — ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}.`)
    : h('p', { class: 'notice error verdict', role: 'status' }, `Invalid — ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}.`);
  const rt = result.runtime;
  const runtime = !rt
    ? null
    : rt.ok
      ? h('p', { class: 'muted' }, `ONNX Runtime${rt.ort_version ? ` ${rt.ort_version}` : ''} can create a session for this model.`)
      : h('p', { class: 'muted' }, `ONNX Runtime${rt.ort_version ? ` ${rt.ort_version}` : ''} could not create a session.`);
  const findings =
    result.findings.length === 0
      ? h('p', { class: 'muted' }, 'No findings.')
      : dataGrid(
          'Findings',
          [
            { title: 'Severity', min: '5em', grow: 0.6 },
            { title: 'Code', min: '8em' },
            { title: 'Message', min: '12em', grow: 3 },
            { title: 'Where', min: '8em', grow: 1.2 },
          ],
          result.findings.map((f) => [h('span', { class: `severity ${f.severity}` }, f.severity), h('code', null, f.code), f.message, where(f)]),
        );
  return h('div', { class: 'validation-result' }, verdict, runtime, findings);
}
