import assert from 'node:assert/strict';
import { requestLogPath } from '../../../../src/extension/serving/logic/request-log';

describe('extension/serving: the request log of a server started from VS Code', () => {
  it('ptp.serve.requestLog: ${model} replaced by a safe name, relative paths under the workspace, empty = no log', () => {
    assert.equal(requestLogPath(undefined, 'digits', '/w'), '/w/.ptp/logs/digits.requests.jsonl');
    assert.equal(requestLogPath('/var/log/${model}.jsonl', 'a/b c', '/w'), '/var/log/a_b_c.jsonl');
    assert.equal(requestLogPath('', 'digits', '/w'), null);
  });
});
