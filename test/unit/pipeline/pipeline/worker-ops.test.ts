import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineApprove, pipelineRun } from '../../../../src/pipeline/pipeline/worker-ops';
import { REPO_ROOT } from '../../../helpers/paths';

describe('pipeline worker ops (pipeline-run, pipeline-approve)', function () {
  this.timeout(240_000);
  let root: string;
  let file: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ptp-pipeline-worker-ops-'));
    mkdirSync(join(root, 'digits'));
    mkdirSync(join(root, 'pipeline'));
    for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) copyFileSync(join(REPO_ROOT, 'examples/digits', f), join(root, 'digits', f));
    for (const f of ['ptp.pipeline.yaml', 'digits_shifted.csv']) copyFileSync(join(REPO_ROOT, 'examples/pipeline', f), join(root, 'pipeline', f));
    file = join(root, 'pipeline', 'ptp.pipeline.yaml');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('runs to the approval with stage progress messages, records the decision, and the next run passes with the earlier stages cached', async () => {
    const messages: string[] = [];
    const first = await pipelineRun({ file }, { onProgress: (p) => p.message && messages.push(p.message) });
    assert.equal(first.status, 'awaiting-approval');
    assert.ok(messages.includes('stage base (evaluate)'), messages.join(' | '));
    const d = await pipelineApprove({ file, stage: 'sign-off', approved: true, by: 'unit', comment: 'fine' });
    assert.deepEqual([d.stage, d.approved, d.by, d.comment], ['sign-off', true, 'unit', 'fine']);
    const second = await pipelineRun({ file, only: ['base', 'int8', 'int8-eval', 'quality', 'sign-off', 'publish'] });
    assert.equal(second.status, 'passed');
    const byId = Object.fromEntries(second.stages.map((s) => [s.id, s.status]));
    assert.equal(byId.base, 'cached');
    assert.equal(byId.publish, 'passed');
    assert.equal(byId.drift, 'skipped');
  });
});
