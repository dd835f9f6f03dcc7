import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parsePipeline } from '../../../../src/pipeline/pipeline/file';
import type { PipelineRunResult } from '../../../../src/protocol/pipeline';
import { errorPosition } from '../../../../src/extension/pipeline/logic/pipeline-diagnostic';
import { isPipelineFile } from '../../../../src/extension/pipeline/logic/pipeline-ids';
import { parseDecisionArgs, parseRunArgs, stagesUpTo } from '../../../../src/extension/pipeline/logic/pipeline-options';
import { runningStage, stageNodes } from '../../../../src/extension/pipeline/logic/pipeline-tree';
import { REPORT_CSP, reportWebviewHtml } from '../../../../src/extension/pipeline/logic/report-html';

describe('extension/pipeline logic', () => {
  it('errorPosition reads FILE:LINE:COL from a real reader error', () => {
    const file = path.join('/tmp', 'x', 'ptp.pipeline.yaml');
    const text = 'version: 1\nname: n\nmodel: a@1\nstages:\n  - {id: a, run: gate, with: {checks: ["1 < 2"]}}\n  - {id: b, run: nosuchkind}\n';
    let message = '';
    try {
      parsePipeline(text, file, file);
    } catch (e) {
      message = (e as Error).message;
    }
    assert.ok(message.startsWith(`${file}:`), message);
    const at = errorPosition(message, file);
    assert.equal(at.line, 6);
    assert.ok(at.col >= 1);
    assert.ok(!at.message.startsWith(file));
    assert.deepEqual(errorPosition('no position here', file), { line: 1, col: 1, message: 'no position here' });
    assert.deepEqual(errorPosition(`${file}: cannot read`, file), { line: 1, col: 1, message: 'cannot read' });
  });

  it('isPipelineFile matches ptp.pipeline.yaml and *.ptp.pipeline.yaml only', () => {
    assert.ok(isPipelineFile('/a/ptp.pipeline.yaml'));
    assert.ok(isPipelineFile('/a/release.ptp.pipeline.yaml'));
    assert.ok(!isPipelineFile('/a/pipeline.yaml'));
    assert.ok(!isPipelineFile('/a/ptp.pipeline.yml'));
  });

  it('parseRunArgs and parseDecisionArgs check the scripted arguments', () => {
    assert.deepEqual(parseRunArgs('c', {}), {});
    assert.deepEqual(parseRunArgs('c', { approve: 'all', force: true, only: ['a', 'b'] }), { approve: 'all', force: true, only: ['a', 'b'] });
    assert.deepEqual(parseRunArgs('c', { approve: 'x,y' }), { approve: ['x', 'y'] });
    assert.throws(() => parseRunArgs('c', { aprove: 'all' }), /unknown option aprove/);
    assert.throws(() => parseRunArgs('c', { force: 'yes' }), /force must be/);
    assert.throws(() => parseRunArgs('c', { only: [1] }), /only must be/);
    assert.deepEqual(parseDecisionArgs('c', { comment: 'ok', by: 'ann' }), { comment: 'ok', by: 'ann' });
    assert.throws(() => parseDecisionArgs('c', { by: ' ' }), /by must be/);
  });

  it('stagesUpTo: Run to here runs the stages up to and including it', () => {
    assert.deepEqual(stagesUpTo(['a', 'b', 'c'], 'b'), ['a', 'b']);
    assert.deepEqual(stagesUpTo(['a', 'b', 'c'], 'c'), ['a', 'b', 'c']);
    assert.deepEqual(stagesUpTo(['a'], 'z'), []);
  });

  it('stageNodes: live statuses while running, then the run\'s statuses, durations and gate checks', () => {
    const stages = [
      { id: 'base', run: 'evaluate' as const, line: 3 },
      { id: 'quality', run: 'gate' as const, line: 5 },
      { id: 'sign-off', run: 'approve' as const, line: 9 },
    ];
    assert.equal(runningStage('stage quality (gate)'), 'quality');
    assert.equal(runningStage('rows 10/20'), undefined);
    const live = stageNodes({ stages, running: 'quality', started: ['base', 'quality'] });
    assert.deepEqual(live.map((n) => n.status), ['done', 'running', 'queued']);
    const result = {
      name: 'n',
      run_id: 'r',
      status: 'awaiting-approval',
      file: '/p/ptp.pipeline.yaml',
      run_dir: '/p/.ptp/pipelines/n/r',
      started: '',
      seconds: 1,
      report: { html: '', markdown: '', junit: '' },
      stages: [
        { id: 'base', run: 'evaluate', status: 'cached', seconds: 0.5, outputs: {} },
        { id: 'quality', run: 'gate', status: 'passed', seconds: 0, outputs: {}, checks: [{ expr: 'a >= b - 0.01', passed: true, left: 0.97, right: 0.9600000001 }] },
        { id: 'sign-off', run: 'approve', status: 'awaiting-approval', seconds: 0, outputs: {}, message: 'Promote?' },
      ],
    } as PipelineRunResult;
    const done = stageNodes({ stages, result });
    assert.deepEqual(done.map((n) => n.status), ['cached', 'passed', 'awaiting-approval']);
    assert.equal(done[0]!.description, 'cached · 0.50 s');
    assert.equal(done[2]!.contextValue, 'ptp.pipeline.stage.awaiting-approval');
    assert.match(done[2]!.tooltip, /Promote\?/);
    assert.deepEqual(done[1]!.children.map((c) => [c.label, c.description]), [['✔ a >= b - 0.01', 'left 0.97, right 0.96']]);
  });

  it('reportWebviewHtml puts the strict CSP first in the head', () => {
    const html = reportWebviewHtml('<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>x</body></html>');
    assert.ok(html.indexOf(REPORT_CSP) < html.indexOf('charset'));
    assert.match(REPORT_CSP, /default-src 'none'/);
    assert.ok(!/script-src/.test(REPORT_CSP));
    assert.match(reportWebviewHtml('<p>x</p>'), /<head><meta http-equiv="Content-Security-Policy"/);
  });
});
