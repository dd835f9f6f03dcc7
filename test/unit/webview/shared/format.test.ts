import * as assert from 'node:assert/strict';
import {
  formatBytes,
  formatCompact,
  formatCount,
  formatDuration,
  formatNumber,
  formatPreview,
  formatShape,
  formatValueType,
  groupExternalData,
  plural,
  sortHistogram,
  sortOpsets,
} from '../../../../webview/shared/format';

describe('extension: webview formatting', () => {
  it('formats bytes with binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.50 KiB');
    assert.equal(formatBytes(10 * 1024 * 1024 + 300_000), '10.3 MiB');
    assert.equal(formatBytes(500 * 1024 ** 3), '500 GiB');
    assert.equal(formatBytes(null), '—');
  });

  it('formats counts and compact counts', () => {
    assert.equal(formatCount(25557032), '25,557,032');
    assert.equal(formatCompact(25557032), '25.6M');
    assert.equal(formatCompact(1000), '1K');
    assert.equal(formatCompact(999), '999');
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(2, 'file'), '2 files');
  });

  it('formats shapes with symbolic and unknown dims', () => {
    assert.equal(formatShape(['N', 3, null]), '[N, 3, ?]');
    assert.equal(formatShape([]), 'scalar');
    assert.equal(formatShape(null), 'unknown rank');
  });

  it('formats value types by kind', () => {
    assert.equal(formatValueType({ kind: 'tensor', elem_type: 'FLOAT' }), 'FLOAT');
    assert.equal(formatValueType({ kind: 'sequence', elem_type: 'INT64' }), 'sequence of INT64');
    assert.equal(formatValueType({ kind: 'map', elem_type: 'map(INT64,FLOAT)' }), 'map(INT64,FLOAT)');
    assert.equal(formatValueType({ kind: 'opaque', elem_type: null }), 'opaque');
  });

  it('formats statistics and durations', () => {
    assert.equal(formatNumber(null), '—');
    assert.equal(formatNumber(3), '3');
    assert.equal(formatNumber(0.123456789), '0.12346');
    assert.equal(formatNumber(1e-7), '1.000e-7');
    assert.equal(formatNumber(1.5), '1.5');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatNumber(-Infinity), '-Inf');
    assert.equal(formatDuration(0.4), '0.4 ms');
    assert.equal(formatDuration(123.4), '123 ms');
    assert.equal(formatDuration(1234), '1.23 s');
  });

  it('previews values and marks truncation', () => {
    assert.equal(formatPreview([1, 2.5, '9007199254740993', true], 4), '1, 2.5, "9007199254740993", true');
    assert.equal(formatPreview([1, 2, 3], 10, 2), '1, 2, …');
  });

  it('sorts the operator histogram by count, then name, and splits domains', () => {
    assert.deepEqual(sortHistogram({ 'ai.onnx::Relu': 2, 'ai.onnx::Conv': 5, 'com.microsoft::Attention': 2, Add: 2 }), [
      { domain: 'ai.onnx', op: 'Conv', count: 5 },
      { domain: 'ai.onnx', op: 'Add', count: 2 },
      { domain: 'com.microsoft', op: 'Attention', count: 2 },
      { domain: 'ai.onnx', op: 'Relu', count: 2 },
    ]);
  });

  it('lists the default opset domain first', () => {
    assert.deepEqual(sortOpsets({ 'com.microsoft': 1, 'ai.onnx.ml': 3, 'ai.onnx': 17 }), [
      ['ai.onnx', 17],
      ['ai.onnx.ml', 3],
      ['com.microsoft', 1],
    ]);
  });

  it('groups external data by file', () => {
    assert.deepEqual(
      groupExternalData([
        { tensor: 'a', location: 'w.bin', offset: 0, length: 100 },
        { tensor: 'b', location: 'w.bin', offset: 100, length: 28 },
        { tensor: 'c', location: 'x.bin', offset: 0, length: null },
      ]),
      [
        { location: 'w.bin', tensors: 2, bytes: 128 },
        { location: 'x.bin', tensors: 1, bytes: null },
      ],
    );
  });
});
