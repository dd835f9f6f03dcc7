/**
 * Every datatype onnxruntime takes goes through the server unchanged: an Identity model per type, called over
 * REST JSON, REST binary, gRPC raw contents and gRPC typed contents.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { V2Client, type RunningServer, type V2Datatype, type V2Tensor } from '../../../../src/pipeline/serve';
import { decodeBinary, encodeBinary, valuesOf } from '../../../../src/pipeline/serve/codec';
import { allocate } from '../../../../src/pipeline/serve/datatypes';
import { float32ToFloat16Array } from '../../../../src/pipeline/runtime';
import { grpcClient, serveForTest } from '../../../helpers/serve';
import { encodeModel, node, valueInfo } from '../../../helpers/tiny-models';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** ONNX elem type and four values (as JSON would carry them) per V2 datatype. */
const CASES: [V2Datatype, number, (number | string | boolean)[]][] = [
  ['BOOL', 9, [true, false, true, true]],
  ['UINT8', 2, [0, 255, 7, 128]],
  ['UINT16', 4, [0, 65535, 1, 300]],
  ['UINT32', 12, [0, 4294967295, 1, 70000]],
  ['UINT64', 13, [0, MAX_SAFE, 1, 5]],
  ['INT8', 3, [-128, 127, 0, -1]],
  ['INT16', 5, [-32768, 32767, 0, -1]],
  ['INT32', 6, [-2147483648, 2147483647, 0, -1]],
  ['INT64', 7, [-MAX_SAFE, MAX_SAFE, 0, -1]],
  ['FP16', 10, [0.5, -2, 65504, 0.0999755859375]],
  ['FP32', 1, [1.5, -0.25, Math.fround(1e-7), Math.fround(1e10)]],
  ['FP64', 11, [Math.PI, -1e300, 5e-324, 0]],
  ['BYTES', 8, ['hello', '', 'ünï ✓', 'a,"b"\n']],
];

const CONTENTS: Partial<Record<V2Datatype, string>> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

function typed(datatype: V2Datatype, values: (number | string | boolean)[]): V2Tensor {
  const shape = [2, 2];
  if (datatype === 'BYTES') return { name: 'x', datatype, shape, data: values as string[] };
  if (datatype === 'FP16') return { name: 'x', datatype, shape, data: float32ToFloat16Array(values as number[]) };
  const data = allocate(datatype, values.length);
  values.forEach((v, i) => {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(v as number);
    else (data as Float64Array)[i] = typeof v === 'boolean' ? Number(v) : (v as number);
  });
  return { name: 'x', datatype, shape, data };
}

describe('serve: every datatype over REST JSON, REST binary and gRPC', function () {
  this.timeout(60_000);
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-serve-types-'));
    for (const [t, elem] of CASES) {
      writeFileSync(join(dir, `${t}.onnx`), encodeModel({ nodes: [node('Identity', ['x'], ['y'])], inputs: [valueInfo('x', elem, ['batch', 2])], outputs: [valueInfo('y', elem, ['batch', 2])] }));
    }
    server = await serveForTest({ models: CASES.map(([t]) => ({ name: t.toLowerCase(), model: `${t}.onnx` })) }, dir);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [datatype, , values] of CASES) {
    it(`${datatype}`, async () => {
      const name = datatype.toLowerCase();
      const meta = await new V2Client(server.url).modelMetadata(name);
      assert.equal(meta.inputs[0]!.datatype, datatype);
      assert.deepEqual(meta.inputs[0]!.shape, [-1, 2]);

      // REST JSON, written by hand: nested rows, the values as JSON carries them.
      const res = await fetch(`${server.url}/v2/models/${name}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'r1', inputs: [{ name: 'x', datatype, shape: [2, 2], data: [values.slice(0, 2), values.slice(2)] }] }),
      });
      const doc = (await res.json()) as { id: string; outputs: { name: string; datatype: string; shape: number[]; data: unknown[] }[] };
      assert.equal(res.status, 200, JSON.stringify(doc));
      assert.equal(doc.id, 'r1');
      assert.deepEqual(doc.outputs[0], { name: 'y', datatype, shape: [2, 2], data: values });

      // REST binary (both directions) through the client.
      const input = typed(datatype, values);
      const bin = await new V2Client(server.url).infer(name, [input], { binary: true });
      assert.equal(bin.outputs[0]!.datatype, datatype);
      assert.deepEqual(valuesOf(bin.outputs[0]!), values);

      // gRPC with raw_input_contents / raw_output_contents, and with typed contents where the protocol has them.
      const g = grpcClient(server.grpcPort!);
      try {
        const r = await g.call('ModelInfer', { model_name: name, id: 'g1', inputs: [{ name: 'x', datatype, shape: [2, 2] }], raw_input_contents: [Buffer.from(encodeBinary(input))] });
        assert.equal(r.id, 'g1');
        const out = (r.outputs as { name: string; datatype: V2Datatype; shape: number[] }[])[0]!;
        assert.equal(out.datatype, datatype);
        const raw = (r.raw_output_contents as Buffer[])[0]!;
        assert.deepEqual(valuesOf({ datatype, data: decodeBinary('y', datatype, out.shape.map(Number), new Uint8Array(raw)) }), values);
        const field = CONTENTS[datatype];
        if (field) {
          const contents = datatype === 'BYTES' ? (values as string[]).map((s) => Buffer.from(s)) : values;
          const r2 = await g.call('ModelInfer', { model_name: name, inputs: [{ name: 'x', datatype, shape: [2, 2], contents: { [field]: contents } }] });
          const raw2 = (r2.raw_output_contents as Buffer[])[0]!;
          assert.deepEqual(valuesOf({ datatype, data: decodeBinary('y', datatype, [2, 2], new Uint8Array(raw2)) }), values);
        }
      } finally {
        g.close();
      }
    });
  }
});
