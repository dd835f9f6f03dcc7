/**
 * Acceptance: every example model's outputs over REST JSON, REST binary and gRPC equal what `ptp evaluate
 * --outputs` computes for the same rows (float tolerance 1e-5).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { evaluate } from '../../../../src/pipeline/evaluate';
import { V2Client, type RunningServer, type V2Tensor } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { grpcClient, serveForTest } from '../../../helpers/serve';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);

interface Case {
  readonly name: string;
  readonly model: string;
  readonly data: string;
  readonly features: (header: string[]) => string[];
  readonly shape: (rows: number) => number[];
  readonly evaluate: Record<string, unknown>;
  /** Compares one row of the served outputs with the evaluate CSV row. */
  readonly check: (outputs: Map<string, number[][]>, row: number, csv: Record<string, string>) => void;
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

const digits = (file: string, image: boolean): Case => ({
  name: file.replace(/\.onnx$/, ''),
  model: ex(`digits/${file}`),
  data: ex('digits/digits_test.csv'),
  features: (h) => h.filter((c) => c.startsWith('pixel_')),
  shape: (n) => (image ? [n, 1, 8, 8] : [n, 64]),
  evaluate: {},
  check: (out, i, csv) => {
    const p = softmax(out.get('logits')![i]!);
    p.forEach((v, k) => close(v, Number(csv[`p_${k}`]), `p_${k} of row ${i}`));
    assert.equal(String(p.indexOf(Math.max(...p))), csv.predicted);
  },
});

const CASES: Case[] = [
  digits('digits_mlp.onnx', false),
  digits('digits_mlp_wide.onnx', false),
  digits('digits_cnn.onnx', true),
  digits('digits_resnet.onnx', true),
  {
    name: 'diabetes_ridge',
    model: ex('diabetes/diabetes_ridge.onnx'),
    data: ex('diabetes/diabetes_test.csv'),
    features: (h) => h.filter((c) => c !== 'target'),
    shape: (n) => [n, 10],
    evaluate: {},
    check: (out, i, csv) => close(out.get('progression')![i]![0]!, Number(csv.prediction), `prediction of row ${i}`),
  },
  {
    name: 'credit_logreg',
    model: ex('credit/credit_logreg.onnx'),
    data: ex('credit/credit_test.csv'),
    features: (h) => h.filter((c) => !['applicant_id', 'sex', 'label'].includes(c)),
    shape: (n) => [n, 6],
    evaluate: { sensitive: ['sex'], excludeColumns: ['applicant_id'] },
    check: (out, i, csv) => assert.equal(String(out.get('label')![i]![0]), csv.predicted, `label of row ${i}`),
  },
];

/** Rows of a flat output → per-row arrays. */
function rowsOf(t: V2Tensor): number[][] {
  const n = t.shape[0]!;
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const flat = Array.from(t.data as ArrayLike<number | bigint>, Number);
  return Array.from({ length: n }, (_, i) => flat.slice(i * per, (i + 1) * per));
}

describe('serve: the example models over REST JSON, REST binary and gRPC', function () {
  this.timeout(120_000);
  let server: RunningServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-serve-ex-'));
    server = await serveForTest({ models: CASES.map((c) => ({ name: c.name, model: c.model })) }, dir);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.name}: the three protocols answer what ptp evaluate --outputs wrote`, async () => {
      const outputsFile = join(dir, `${c.name}.outputs.csv`);
      await evaluate({ model: c.model, data: c.data, outputsFile, bootstrap: 0, ...c.evaluate } as Parameters<typeof evaluate>[0]);
      const expected = parse(readFileSync(outputsFile), { columns: true }) as Record<string, string>[];
      const rows = parse(readFileSync(c.data), { columns: true }) as Record<string, string>[];
      const header = Object.keys(rows[0]!);
      const cols = c.features(header);
      const n = Math.min(rows.length, 64);
      const data = new Float32Array(n * cols.length);
      for (let i = 0; i < n; i++) cols.forEach((col, j) => (data[i * cols.length + j] = Number(rows[i]![col])));
      const meta = await new V2Client(server.url).modelMetadata(c.name);
      const input: V2Tensor = { name: meta.inputs[0]!.name, datatype: 'FP32', shape: c.shape(n), data };

      const client = new V2Client(server.url);
      const json = await client.infer(c.name, [input]);
      const binary = await client.infer(c.name, [input], { binary: true });
      const g = grpcClient(server.grpcPort!);
      let grpcOut: V2Tensor[];
      try {
        const r = await g.call('ModelInfer', {
          model_name: c.name,
          inputs: [{ name: input.name, datatype: 'FP32', shape: input.shape }],
          raw_input_contents: [Buffer.from(data.buffer)],
        });
        const outs = r.outputs as { name: string; datatype: string; shape: number[] }[];
        const raw = r.raw_output_contents as Buffer[];
        grpcOut = outs.map((o, k) => {
          const b = raw[k]!;
          const copy = new Uint8Array(b).buffer;
          return { name: o.name, datatype: o.datatype as V2Tensor['datatype'], shape: o.shape.map(Number), data: o.datatype === 'INT64' ? new BigInt64Array(copy) : new Float32Array(copy) };
        });
        assert.equal(r.model_version, '1');
      } finally {
        g.close();
      }
      for (const [what, outs] of [['REST JSON', json.outputs], ['REST binary', binary.outputs], ['gRPC', grpcOut]] as const) {
        const byName = new Map(outs.map((o) => [o.name, rowsOf(o)]));
        for (let i = 0; i < n; i++) {
          try {
            c.check(byName, i, expected[i]!);
          } catch (e) {
            throw new Error(`${what}: ${(e as Error).message}`);
          }
        }
      }
      assert.equal(json.model_version, '1');
    });
  }
});
