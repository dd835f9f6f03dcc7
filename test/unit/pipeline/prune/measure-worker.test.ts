/** What the report counts (initializer elements, gzip sizes), the worker ops, and replacing an existing output. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { handleRequest } from '../../../../src/cli/worker';
import { onnx } from '../../../../src/core/proto/onnx';
import { prune } from '../../../../src/pipeline/prune';
import { gzipBytes, initializerElements, totalBytes } from '../../../../src/pipeline/prune/measure';
import type { PruneResult, PruneSensitivityResult } from '../../../../src/protocol/prune';
import type { WorkerReply } from '../../../../src/protocol/worker';
import { L, floatInit } from '../quantize/helpers';
import { DIGITS_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET, Scratch } from './helpers';

describe('prune: measures, worker ops, outputs', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('initializerElements counts dense and sparse initializers, also inside subgraphs', () => {
    const sub: onnx.GraphProto.$Properties = { name: 'body', initializer: [floatInit('s', [2, 3], [1, 2, 3, 4, 5, 6])] };
    const proto: onnx.ModelProto.$Properties = {
      graph: {
        initializer: [floatInit('a', [4, 5], new Array(20).fill(1)), floatInit('b', [7], new Array(7).fill(0))],
        sparseInitializer: [{ dims: [L(10), L(10)], values: floatInit('v', [3], [1, 2, 3]), indices: { name: 'i', dims: [L(3)], dataType: 7 } }],
        node: [{ opType: 'If', attribute: [{ name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: sub }] }],
      },
    };
    assert.equal(initializerElements(proto), 20 + 7 + 100 + 6);
    assert.equal(initializerElements({}), 0);
  });

  it('gzipBytes: zeros compress; the sum over files', async () => {
    const zeros = scratch.write('zeros.bin', new Uint8Array(100000));
    const noise = scratch.write('noise.bin', Uint8Array.from({ length: 100000 }, (_, i) => (i * 2654435761) >>> 24));
    const z = (await gzipBytes([zeros]))!;
    const n = (await gzipBytes([noise]))!;
    assert.ok(z < 1000, `100 kB of zeros gzip to ${z} bytes`);
    assert.ok(n > z * 10, `noise ${n}`);
    assert.equal(await gzipBytes([zeros, noise]), z + n);
    assert.equal(await totalBytes([zeros, noise]), 200000);
  });

  it('a successful run replaces an existing output', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const out = scratch.write('out.onnx', 'previous output');
    const r = await prune({ model, method: 'nm', output: out, latency: false });
    assert.equal(r.output, out);
    const m = onnx.ModelProto.decode(readFileSync(out));
    assert.equal(m.graph!.node!.length, 5);
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx', 'out.onnx']);
  });

  it('worker ops prune and prune-sensitivity: progress, then the result; bad settings are a user error', async () => {
    const model = scratch.copy(DIGITS_RESNET);
    const replies: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 1, op: 'prune', params: { model, method: 'structured', latency: false } }, (m) => replies.push(m));
    const final = replies[replies.length - 1]!;
    assert.equal(final.kind, 'result', JSON.stringify(final));
    assert.ok(replies.slice(0, -1).every((r) => r.kind === 'progress') && replies.length > 1);
    const r = (final as { result: PruneResult }).result;
    assert.ok(r.params_after < r.params_before);

    const sens: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 2, op: 'prune-sensitivity', params: { model, data: DIGITS_CSV, sparsities: [0.5], maxRows: 50 } }, (m) => sens.push(m));
    const s = (sens[sens.length - 1] as { result: PruneSensitivityResult }).result;
    assert.equal(s.samples, 50);
    assert.ok(s.layers.length >= 4 && s.layers.every((l) => l.points.length === 1));

    const bad: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 3, op: 'prune', params: { model, method: 'magnitude', sparsity: 3 } }, (m) => bad.push(m));
    const err = bad[bad.length - 1]!;
    assert.equal(err.kind, 'error');
    assert.equal((err as { error: { type: string } }).error.type, 'user');
  });
});
