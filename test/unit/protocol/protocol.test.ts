import * as assert from 'node:assert/strict';
import { isHostMessage, isViewMessage } from '../../../src/protocol/webview';
import { toErrorInfo } from '../../../src/extension/shared/logic/user-errors';
import { OnnxFormatError } from '../../../src/core/errors';
import { OperationCancelledError, WorkerRequestError, WorkerStoppedError } from '../../../src/extension/worker/worker-errors';

describe('protocol: webview message checks', () => {
  it('accepts well-formed requests and logs from a webview', () => {
    assert.equal(isViewMessage({ type: 'request', requestId: 1, method: 'ready', params: null }), true);
    assert.equal(isViewMessage({ type: 'log', level: 'error', message: 'x' }), true);
  });

  it('refuses anything else', () => {
    for (const m of [null, 'ready', {}, { type: 'request', requestId: '1', method: 'ready' }, { type: 'request', requestId: 1.5, method: 'x' }, { type: 'log', level: 'fatal', message: 'x' }, { type: 'reply', inReplyTo: 1, ok: true }]) {
      assert.equal(isViewMessage(m), false, JSON.stringify(m));
    }
  });

  it('recognises host replies and events', () => {
    assert.equal(isHostMessage({ type: 'reply', inReplyTo: 3, ok: false, error: { message: 'x' } }), true);
    assert.equal(isHostMessage({ type: 'event', event: 'snapshot', data: {} }), true);
    assert.equal(isHostMessage({ type: 'request', requestId: 1, method: 'ready' }), false);
  });
});

describe('extension: errors as users see them', () => {
  it('keeps OnnxError messages (which start with the path) and codes', () => {
    const info = toErrorInfo(new OnnxFormatError('not-onnx', 'not an ONNX model', '/w/broken.onnx'), '/w/broken.onnx');
    assert.deepEqual(info, { message: '/w/broken.onnx: not an ONNX model', code: 'not-onnx' });
  });

  it('marks cancellations, including vscode.CancellationError (name Canceled)', () => {
    assert.deepEqual(toErrorInfo(new OperationCancelledError('Run cancelled.')), { message: 'Run cancelled.', cancelled: true });
    const canceled = new Error('Canceled');
    canceled.name = 'Canceled';
    assert.equal(toErrorInfo(canceled).cancelled, true);
  });

  it('passes worker errors through and prefixes unknown errors with the context, without stacks', () => {
    assert.deepEqual(toErrorInfo(new WorkerRequestError('refused', 'user', 'ort-refused')), { message: 'refused', code: 'ort-refused' });
    assert.equal(toErrorInfo(new WorkerStoppedError(null, 'SIGSEGV')).message, 'The ONNX Runtime worker stopped unexpectedly (signal SIGSEGV).');
    const info = toErrorInfo(new TypeError('x is undefined'), '/w/m.onnx');
    assert.equal(info.message, '/w/m.onnx: x is undefined');
    assert.doesNotMatch(info.message, /\bat /);
  });
});
