/**
 * A model behind an Open Inference Protocol endpoint runs where a model file does: `evaluate`, `compare` and
 * `predict` on `http://127.0.0.1:PORT/v2/models/NAME` (here: a real `ptp serve` on a system-chosen port) give
 * what they give on the file, whatever the request concurrency; a wrong model name or a closed port is an error
 * naming the URL. The CLI's `--endpoint URL --model NAME` reaches the same code.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { compare, evaluate } from '../../../../src/pipeline/evaluate';
import { predict } from '../../../../src/pipeline/predict';
import { V2Client, type RunningServer } from '../../../../src/pipeline/serve';
import { endpointModelUrl, parseEndpointModelUrl } from '../../../../src/pipeline/serve/remote-model';
import { REPO_ROOT } from '../../../helpers/paths';
import { serveForTest } from '../../../helpers/serve';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const run = promisify(execFile);

async function ptp(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const csv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[];

describe('remote models: evaluate, compare and predict on a model served at an Open Inference Protocol endpoint', function () {
  this.timeout(180_000);
  let server: RunningServer;
  let dir: string;
  const url = (name: string) => endpointModelUrl({ url: server.url, model: name });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-remote-'));
    server = await serveForTest(
      {
        models: [
          { name: 'digits', model: ex('digits/digits_mlp.onnx') },
          { name: 'digits_cnn', model: ex('digits/digits_cnn.onnx') },
          { name: 'credit', model: ex('credit/credit_logreg.onnx') },
          { name: 'diabetes', model: ex('diabetes/diabetes_ridge.onnx') },
        ],
      },
      dir,
    );
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('model URLs round-trip: base, name and version', () => {
    const u = endpointModelUrl({ url: 'http://127.0.0.1:8000/', model: 'a b', version: '3' });
    assert.equal(u, 'http://127.0.0.1:8000/v2/models/a%20b/versions/3');
    assert.deepEqual(parseEndpointModelUrl(u), { url: 'http://127.0.0.1:8000', model: 'a b', version: '3' });
    assert.deepEqual(parseEndpointModelUrl('http://h:1/prefix/v2/models/m'), { url: 'http://h:1/prefix', model: 'm' });
    assert.throws(() => parseEndpointModelUrl('http://h:1/models/m'), /names no model/);
  });

  it('a ZipMap classifier is served with its probabilities as a tensor and its classes in the metadata', async () => {
    const meta = await new V2Client(server.url).modelMetadata('credit');
    assert.deepEqual(meta.outputs.map((o) => [o.name, o.datatype, o.shape]), [['label', 'INT64', [-1]], ['probabilities', 'FP32', [-1, 2]]]);
    assert.equal(meta.parameters?.class_labels, '[0,1]');
  });

  for (const [name, file, data, extra] of [
    ['digits', 'digits/digits_mlp.onnx', 'digits/digits_test.csv', {}],
    ['digits_cnn', 'digits/digits_cnn.onnx', 'digits/digits_test.csv', {}],
    ['credit', 'credit/credit_logreg.onnx', 'credit/credit_test.csv', { sensitive: ['sex'], excludeColumns: ['applicant_id'] }],
    ['diabetes', 'diabetes/diabetes_ridge.onnx', 'diabetes/diabetes_test.csv', {}],
  ] as const) {
    it(`${name}: evaluate on the endpoint gives the metrics of the file (concurrency 1 and 3)`, async () => {
      const base = { data: ex(data), bootstrap: 0, batchSize: 50, ...extra } as const;
      const local = await evaluate({ model: ex(file), ...base } as Parameters<typeof evaluate>[0]);
      for (const endpointConcurrency of [1, 3]) {
        const remote = await evaluate({ model: url(name), endpointConcurrency, ...base } as Parameters<typeof evaluate>[0]);
        assert.equal(remote.model, url(name));
        assert.equal(remote.samples, local.samples);
        assert.deepEqual(remote.class_names, local.class_names);
        const lm = local.metrics as unknown as Record<string, unknown>;
        const rm = remote.metrics as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(lm)) {
          if (typeof v === 'number') assert.ok(Math.abs((rm[k] as number) - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${k}: ${String(rm[k])} vs ${v}`);
        }
        assert.deepEqual(JSON.parse(JSON.stringify(remote.fairness ?? null)), JSON.parse(JSON.stringify(local.fairness ?? null)));
      }
    });
  }

  it('predict on the endpoint writes the file predict writes on the model file (ids, predictions, scores)', async () => {
    const local = join(dir, 'local.csv');
    const remote = join(dir, 'remote.csv');
    const params = { data: ex('credit/credit_test.csv'), sensitive: ['sex'], idColumn: 'applicant_id', batchSize: 64 };
    await predict({ model: ex('credit/credit_logreg.onnx'), output: local, ...params });
    const r = await predict({ model: url('credit'), output: remote, endpointConcurrency: 4, ...params });
    assert.equal(r.rows, 900);
    assert.equal(r.model, url('credit'));
    const a = csv(local);
    const b = csv(remote);
    assert.equal(b.length, a.length);
    for (let i = 0; i < a.length; i++) {
      assert.equal(b[i]!.id, a[i]!.id, `id of row ${i}`);
      assert.equal(b[i]!.prediction, a[i]!.prediction, `prediction of row ${i}`);
      for (const k of Object.keys(a[i]!).filter((c) => c.startsWith('score_'))) {
        assert.ok(Math.abs(Number(b[i]![k]) - Number(a[i]![k])) <= 1e-6, `${k} of row ${i}`);
      }
    }
  });

  it('compare puts the file and its served copy side by side: full agreement, no output difference', async () => {
    const r = await compare({ models: [ex('digits/digits_mlp.onnx'), url('digits')], data: ex('digits/digits_test.csv'), bootstrap: 0 } as Parameters<typeof compare>[0]);
    assert.deepEqual(r.models, [ex('digits/digits_mlp.onnx'), url('digits')]);
    assert.equal(r.agreement[1], 1);
    assert.ok(r.max_abs_diff[1]! <= 1e-5, `max |difference| ${r.max_abs_diff[1]}`);
  });

  it('a model the server does not serve, and a closed port, are errors naming the URL', async () => {
    const data = ex('digits/digits_test.csv');
    await assert.rejects(evaluate({ model: url('nope'), data, bootstrap: 0 } as Parameters<typeof evaluate>[0]), (e: Error) => /nope/.test(e.message) && e.message.includes(server.url));
    const port = await closedPort();
    const dead = `http://127.0.0.1:${port}/v2/models/digits`;
    await assert.rejects(predict({ model: dead, data, output: join(dir, 'dead.csv') }), (e: Error) => e.message.includes(`127.0.0.1:${port}`) && /ECONNREFUSED|refused|unavailable/i.test(e.message));
  });

  it('ptp predict --endpoint URL --model NAME --json; usage errors for --model without --endpoint and for both a file and --endpoint', async () => {
    const out = join(dir, 'cli.csv');
    const r = await ptp(dir, 'predict', '--endpoint', server.url, '--model', 'digits', '--data', ex('digits/digits_test.csv'), '-o', out, '--concurrency', '2', '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { rows: number; model: string };
    assert.equal(doc.model, url('digits'));
    const labels = csv(ex('digits/digits_test.csv')).map((x) => x.label);
    const rows = csv(out);
    assert.equal(rows.length, labels.length);
    const accuracy = rows.filter((x, i) => x.prediction === labels[i]).length / rows.length;
    assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);

    const ev = await ptp(dir, 'evaluate', '--endpoint', server.url, '--model', 'digits', '--data', ex('digits/digits_test.csv'), '--json');
    assert.equal(ev.code, 0, ev.stderr);
    assert.ok((JSON.parse(ev.stdout) as { metrics: { accuracy: number } }).metrics.accuracy > 0.9);

    const noEndpoint = await ptp(dir, 'predict', '--model', 'digits', '--data', ex('digits/digits_test.csv'), '-o', out);
    assert.equal(noEndpoint.code, 2);
    assert.match(noEndpoint.stderr, /--endpoint/);
    const both = await ptp(dir, 'evaluate', ex('digits/digits_mlp.onnx'), '--endpoint', server.url, '--model', 'digits', '--data', ex('digits/digits_test.csv'));
    assert.equal(both.code, 2);
    assert.match(both.stderr, /one --model and no model file/);
    const save = await ptp(dir, 'evaluate', '--endpoint', server.url, '--model', 'digits', '--data', ex('digits/digits_test.csv'), '--save');
    assert.equal(save.code, 2);
    assert.match(save.stderr, /--save/);
  });
});
