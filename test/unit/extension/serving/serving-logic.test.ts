/** The Serving panel's pure logic: the listening line, line splitting, req/s, the status text, the canary plan, the answer text. */
import assert from 'node:assert/strict';
import { canaryConfig, canaryPlan } from '../../../../src/extension/serving/logic/canary';
import { LineSplitter, parseListeningLine, TailLines } from '../../../../src/extension/serving/logic/listening';
import { formatRate, hostPortOf, RateMeter, statusText, totalRequests } from '../../../../src/extension/serving/logic/serving-stats';
import { answerJson, SHOWN_VALUES } from '../../../../src/extension/serving/logic/test-answer';
import { configOf } from '../../../../src/pipeline/serve';
import type { ServedModelStats, VersionStats } from '../../../../src/protocol/serving-panel';

const version = (v: string, requests: number): VersionStats => ({
  model: 'm',
  version: v,
  requests,
  failures: 0,
  error_rate: 0,
  rows: requests,
  shadow_requests: 0,
  latency_ms: { p50: 1, p95: 2, p99: 3 },
  batches: requests,
  mean_batch_size: 1,
  max_batch_size_seen: 1,
});

describe('serving: the listening line of ptp serve --json', () => {
  it('parses http, grpc and the versions', () => {
    const line = JSON.stringify({ listening: true, http: 'http://127.0.0.1:40123', grpc: '127.0.0.1:40124', models: [{ model: 'digits', version: '1', state: 'ready', file: '/x.onnx', source: '/x.onnx' }] });
    assert.deepEqual(parseListeningLine(line), { http: 'http://127.0.0.1:40123', grpc: '127.0.0.1:40124', versions: [{ model: 'digits', version: '1', state: 'ready', source: '/x.onnx' }] });
    assert.equal(parseListeningLine(JSON.stringify({ listening: true, http: 'http://127.0.0.1:1/', grpc: null, models: [] }))?.grpc, null);
  });
  it('is undefined for anything else', () => {
    for (const line of ['', 'listening http://127.0.0.1:8000 grpc off', '{"listening": true, "http": "http://x"', '{"listening": false, "http": "http://x"}', '{"listening": true}', '{not json', '{"listening": true, "http": "ftp://x"}']) assert.equal(parseListeningLine(line), undefined, line);
  });
  it('lines split across chunks come out whole; the tail keeps the last lines', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('a\nb'), ['a']);
    assert.deepEqual(s.push('c\r\nd\n'), ['bc', 'd']);
    const t = new TailLines(2);
    for (const l of ['1', '', '2', '3']) t.push(l);
    assert.equal(t.text(), '2\n3');
  });
});

describe('serving: requests per second and the status bar', () => {
  it('the rate between polls; 0 on the first poll and after a restart', () => {
    const m = new RateMeter();
    assert.equal(m.next(1000, 5), 0);
    assert.equal(m.next(2000, 15), 10);
    assert.equal(m.next(2500, 20), 10);
    assert.equal(m.next(3000, 2), 0, 'counts went down: a new server');
    assert.equal(m.next(3000, 9), 0, 'no time passed');
  });
  it('totals every version of every model', () => {
    const s: ServedModelStats[] = [
      { name: 'a', versions: [version('1', 3), version('2', 4)], ready: ['1', '2'], split: {}, sticky_header: null, shadow: null, queue_depth: {} },
      { name: 'b', versions: [version('1', 5)], ready: ['1'], split: {}, sticky_header: null, shadow: null, queue_depth: {} },
    ];
    assert.equal(totalRequests(s), 12);
  });
  it('formats the text', () => {
    assert.equal(hostPortOf('http://127.0.0.1:8000'), '127.0.0.1:8000');
    assert.deepEqual([0, 0.04, 0.44, 9.96, 12.4, 999.6, 1234].map(formatRate), ['0', '0', '0.4', '10', '12', '1000', '1.2k']);
    assert.equal(statusText('http://127.0.0.1:8000', 3), '$(radio-tower) 127.0.0.1:8000 · 3 req/s');
  });
});

describe('serving: a registry model served as a canary', () => {
  const files = [1, 2, 3].map((v) => ({ version: v, file: `/reg/models/digits/versions/${v}/model.onnx` }));
  it('one version: served alone', () => {
    const p = canaryPlan('digits', files.slice(0, 1), {});
    assert.deepEqual([p.versions.map((v) => v.version), p.split], [[1], {}]);
  });
  it('no aliases: the previous version 90, the newest 10', () => {
    const p = canaryPlan('digits', files, {});
    assert.deepEqual([p.versions.map((v) => v.version), p.split], [[2, 3], { 2: 90, 3: 10 }]);
  });
  it('champion and challenger aliases choose the versions', () => {
    const p = canaryPlan('digits', files, { champion: 1, challenger: 2 });
    assert.deepEqual([p.versions.map((v) => v.version), p.split], [[1, 2], { 1: 90, 2: 10 }]);
    const q = canaryPlan('digits', files, { champion: 3 });
    assert.deepEqual(q.versions.map((v) => v.version), [2, 3], 'champion on the newest: the previous one becomes the champion');
  });
  it('the config document is one ptp serve accepts', () => {
    const cfg = configOf('test', canaryConfig(canaryPlan('digits', files, {})), '/');
    assert.equal(cfg.httpPort, 0);
    assert.deepEqual(cfg.models[0]!.versions, [
      { version: '2', model: files[1]!.file },
      { version: '3', model: files[2]!.file },
    ]);
    assert.deepEqual(cfg.models[0]!.routing.split, { 2: 90, 3: 10 });
  });
  it('no versions: an error naming the model', () => assert.throws(() => canaryPlan('digits', [], {}), /digits has no versions/));
});

describe('serving: the test answer as text', () => {
  it('JSON with the version, bigints as numbers, long outputs shortened', () => {
    const text = answerJson({ model_name: 'digits', model_version: '2', outputs: [{ name: 'label', datatype: 'INT64', shape: [2], data: new BigInt64Array([3n, 7n]) }, { name: 'p', datatype: 'FP32', shape: [1, 300], data: new Float32Array(300) }] });
    const doc = JSON.parse(text) as { model_version: string; outputs: { data: unknown[] }[] };
    assert.equal(doc.model_version, '2');
    assert.deepEqual(doc.outputs[0]!.data, [3, 7]);
    assert.equal(doc.outputs[1]!.data.length, SHOWN_VALUES + 1);
    assert.equal(doc.outputs[1]!.data[SHOWN_VALUES], '… 100 more');
  });
});
