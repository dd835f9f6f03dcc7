import assert from 'node:assert/strict';
import { alertPayload, alertsOf, alertSummary, newAlerts } from '../../../../src/extension/monitor/logic/alerts';
import { describeOnAlert, parseOnAlert } from '../../../../src/extension/monitor/logic/on-alert';
import type { MonitorAlert, MonitorChunk, MonitorResult } from '../../../../src/protocol/monitor';

const col = (name: string, drift: boolean) => ({ name, kind: 'numerical', stattest: 'ks', statistic: 0.5, p_value: drift ? 0.001 : 0.5, threshold: 0.05, drift }) as const;
const chunk = (index: number, alerts: MonitorAlert[], drifted: string[] = []): MonitorChunk => ({
  index, start: index * 10, end: index * 10 + 10, rows: 10,
  drift: { dataset_drift: false, drift_share: 0.5, drifted_columns: drifted.length, share_of_drifted_columns: drifted.length / 2, columns: [col('a', drifted.includes('a')), col('b', drifted.includes('b'))] },
  realized: null, estimated: null, latency: null, alerts,
});
const alert = (metric: string): MonitorAlert => ({ kind: 'performance', metric, value: 0.5, lower: 0.7, upper: 0.9, message: `${metric} 0.5 below 0.7` });
const result = (chunks: MonitorChunk[]): MonitorResult => ({
  reference: { file: '/w/ref.csv', rows: 100, chunks: 10, metrics: null, bands: {}, calibrated: null },
  current: { file: '/w/cur.csv', kind: 'data', rows: 30 },
  model: '/w/m.onnx', task: 'classification', class_names: ['0', '1'], chunking: { by: 'size', size: 10 }, chunks,
  distributions: {}, alerts: chunks.reduce((n, c) => n + c.alerts.length, 0), assumptions: [], warnings: [],
});

describe('extension/monitor: alerts across watch runs and the retraining trigger', () => {
  it('lists alerts with their chunk; new ones are those the previous run did not have', () => {
    const first = result([chunk(0, []), chunk(1, [alert('estimated.accuracy')], ['a'])]);
    assert.deepEqual(alertsOf(first).map((a) => [a.chunk, a.metric]), [[1, 'estimated.accuracy']]);
    assert.equal(newAlerts(undefined, first).length, 1);
    assert.equal(newAlerts(first, first).length, 0);
    const second = result([chunk(0, []), chunk(1, [alert('estimated.accuracy')], ['a']), chunk(2, [alert('realized.f1')], ['b'])]);
    assert.deepEqual(newAlerts(first, second).map((a) => [a.chunk, a.metric]), [[2, 'realized.f1']]);
  });

  it('the alert JSON names the model, the files, the alerts and what drifted in the alerted chunks', () => {
    const r = result([chunk(0, []), chunk(1, [alert('estimated.accuracy')], ['a'])]);
    const p = alertPayload(r, alertsOf(r), new Date('2026-01-02T03:04:05Z'));
    assert.equal(p.model, '/w/m.onnx');
    assert.equal(p.time, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(p.drifted, [{ chunk: 1, columns: ['a'] }]);
    assert.equal(p.alerts[0]!.value, 0.5);
    assert.match(alertSummary(alertsOf(r)), /^1 new monitoring alert: estimated\.accuracy 0\.5 below 0\.7 \(chunk 2\)$/);
  });

  it('ptp.monitor.onAlert: a task name or "shell: <command>"', () => {
    assert.deepEqual(parseOnAlert('retrain'), { kind: 'task', name: 'retrain' });
    assert.deepEqual(parseOnAlert('shell: make retrain'), { kind: 'shell', command: 'make retrain' });
    assert.equal(parseOnAlert(''), null);
    assert.equal(parseOnAlert('shell:  '), null);
    assert.equal(parseOnAlert(3), null);
    assert.equal(describeOnAlert(parseOnAlert('retrain')), 'task "retrain"');
  });
});
