import * as assert from 'node:assert/strict';
import { rejectionFor } from '../../../../src/extension/shared/logic/failure';
import { toErrorInfo } from '../../../../src/extension/shared/logic/user-errors';
import { OperationCancelledError, WorkerRequestError } from '../../../../src/extension/worker/worker-errors';

describe('pruning: what a failed run from the Pruning report rejects with', () => {
  it('a cancelled Fine-tune… / Sensitivity analysis… stays a cancellation, so the panel shows a neutral notice', () => {
    const canceled = new Error('Canceled');
    canceled.name = 'Canceled';
    for (const e of [new OperationCancelledError('The sensitivity analysis of digits_cnn.onnx was cancelled.'), canceled]) {
      const info = toErrorInfo(rejectionFor(e));
      assert.equal(info.cancelled, true, `${e.name}: ${JSON.stringify(info)}`);
      assert.equal(info.message, e.message);
    }
  });

  it('a real failure stays a failure, with the user message only', () => {
    const e = new WorkerRequestError('digits_test.csv: column "label" is missing.', 'user', 'data');
    const rejected = rejectionFor(e);
    assert.equal(rejected.message, 'digits_test.csv: column "label" is missing.');
    assert.notEqual(toErrorInfo(rejected).cancelled, true);
  });
});
