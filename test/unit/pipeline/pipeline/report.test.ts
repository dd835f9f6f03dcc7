/** The run's reports: junit.xml parses with one testcase per gate check, the HTML escapes every text and loads nothing. */
import assert from 'node:assert/strict';
import { htmlReport, junitXml, markdownSummary } from '../../../../src/pipeline/pipeline';
import type { PipelineRunResult } from '../../../../src/protocol/pipeline';

// xml2js is in node_modules already (a dependency of a dev tool); its types are not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseStringPromise } = require('xml2js') as { parseStringPromise: (xml: string, o?: object) => Promise<JunitDoc> };

interface JunitCase {
  $: { classname: string; name: string };
  failure?: { $: { message: string } }[];
}
interface JunitDoc {
  testsuites: { $: { tests: string; failures: string }; testsuite: { $: { tests: string; failures: string }; testcase: JunitCase[] }[] };
}

const evil = '<script>alert("x")</script> & \'q\'';

const result: PipelineRunResult = {
  name: evil,
  run_id: 'r1',
  status: 'failed',
  file: '/p/ptp.pipeline.yaml',
  run_dir: '/p/.ptp/pipelines/x/r1',
  started: '2026-01-01T00:00:00.000Z',
  seconds: 1.5,
  report: { html: '/r/report.html', markdown: '/r/summary.md', junit: '/r/junit.xml' },
  stages: [
    { id: 'base', run: 'evaluate', status: 'passed', seconds: 0.5, outputs: { metrics: { accuracy: 0.98 }, latency: { p99_ms: 1.2 } } },
    { id: 'int8', run: 'quantize', status: 'cached', seconds: 0, outputs: { output: `/x/${evil}.onnx`, size_bytes: 6000, size_bytes_before: 10000, size_ratio: 0.6 } },
    {
      id: 'quality',
      run: 'gate',
      status: 'failed',
      seconds: 0,
      outputs: { passed: false },
      checks: [
        { expr: 'stages.int8.size_ratio <= 0.5', passed: false, left: 0.6, right: 0.5 },
        { expr: 'stages.base.metrics.accuracy > 0.9 and 1 < 2', passed: true, left: true, right: null },
        { expr: `stages.base.metrics.${'x'} > 0`, passed: false, left: null, right: null, error: `missing <${evil}>` },
      ],
      message: 'stages.int8.size_ratio <= 0.5: 0.6 vs 0.5',
    },
    { id: 'publish', run: 'register', status: 'skipped', seconds: 0, outputs: {}, message: 'gate quality failed' },
  ],
};

describe('pipeline: reports', () => {
  it('junit.xml: one testcase per gate check, a failure element for each failed one, both sides in the message', async () => {
    const doc = await parseStringPromise(junitXml(result), { strict: true });
    const suite = doc.testsuites.testsuite[0]!;
    assert.equal(doc.testsuites.$.tests, '3');
    assert.equal(doc.testsuites.$.failures, '2');
    assert.equal(suite.testcase.length, 3);
    assert.deepEqual(suite.testcase.map((c) => c.$.name), result.stages[2]!.checks!.map((c) => c.expr));
    assert.deepEqual(suite.testcase.map((c) => !!c.failure), [true, false, true]);
    assert.match(suite.testcase[0]!.failure![0]!.$.message, /left 0\.6, right 0\.5/);
    assert.equal(suite.testcase[0]!.$.classname, `${evil}.quality`);
  });

  it('report.html escapes every text, runs no script and loads nothing; it shows the checks and a bar chart', () => {
    const html = htmlReport(result);
    assert.ok(!html.includes('<script'), 'no script element');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'));
    assert.ok(!/\b(src|href)=/.test(html), 'no external resources');
    assert.match(html, /default-src 'none'/);
    assert.match(html, /<svg [^>]*role="img"/);
    assert.match(html, /stages\.int8\.size_ratio &lt;= 0\.5/);
    assert.equal((html.match(/<tr class=/g) ?? []).length, 4);
  });

  it('summary.md: a row per stage and the checks', () => {
    const md = markdownSummary(result);
    assert.match(md, /\| quality \| gate \| failed \|/);
    assert.match(md, /❌ quality: `stages\.int8\.size_ratio <= 0\.5` \(left 0\.6, right 0\.5\)/);
    assert.match(md, /✅ quality:/);
  });
});
