import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxError, inspect, openModel, parseModel, validate } from '../../../src/core';
import { lengthDelimitedHeader } from '../../../src/core/io/scanner';
import { onnx } from '../../../src/core/proto/onnx';
import { FLOAT, L, TempDir, encode, mlpSpec, node, tensorInfo, type ModelSpec } from './build';

/** Asserts that `p` rejects with an OnnxError whose message matches `re` (and is not a raw JS error). */
async function rejectsWith(p: Promise<unknown>, code: string, re: RegExp): Promise<OnnxError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OnnxError, `expected an OnnxError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    return e;
  }
  assert.fail('expected a rejection');
}

/** xorshift32: deterministic pseudo-random bytes. */
function randomBytes(seed: number, n: number): Uint8Array {
  let x = seed || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('core: bad input gives clear errors, never crashes or hangs', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir()));
  afterEach(() => tmp.dispose());

  it('a missing file names the file', async () => {
    const p = tmp.path('nope.onnx');
    const e = await rejectsWith(openModel(p), 'not-found', /file not found/);
    assert.ok(e.message.startsWith(p));
  });

  it('a zero-byte file', async () => {
    await rejectsWith(openModel(tmp.file('empty.onnx', new Uint8Array(0))), 'empty-file', /empty \(0 bytes\)/);
  });

  it('a JSON text file named .onnx', async () => {
    const f = tmp.file('json.onnx', '{"model": "not really"}\n');
    const e = await rejectsWith(openModel(f), 'not-onnx', /JSON text file/);
    assert.ok(e.message.includes('json.onnx'));
  });

  it('a plain text file, a PyTorch zip, ONNX text format', async () => {
    await rejectsWith(openModel(tmp.file('t.onnx', 'hello world, this is text\n'.repeat(5))), 'not-onnx', /text file/);
    await rejectsWith(openModel(tmp.file('z.onnx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 0]))), 'not-onnx', /ZIP archive/);
    await rejectsWith(openModel(tmp.file('p.onnx', 'ir_version: 8\ngraph { }\n')), 'not-onnx', /ONNX text format/);
  });

  it('a truncated model', async () => {
    const bytes = encode(mlpSpec());
    await rejectsWith(openModel(tmp.file('cut.onnx', bytes.subarray(0, bytes.length - 7))), 'truncated', /truncated or corrupt/);
  });

  it('a length prefix that claims more bytes than the file has', async () => {
    // ir_version 8, then field 7 (graph) claiming 2^31 bytes, then 3 bytes
    const bytes = Uint8Array.from([0x08, 0x08, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3]);
    await rejectsWith(openModel(tmp.file('claim.onnx', bytes)), 'truncated', /claims 2147483648 bytes but only 3 remain/);
  });

  it('random bytes: every blob either opens or gives an OnnxError', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = randomBytes(seed, 64 + seed * 7);
      try {
        const m = await parseModel(bytes, { file: `random-${seed}.onnx` });
        inspect(m); // a safe result must also be inspectable
        await validate(m);
      } catch (e) {
        assert.ok(e instanceof OnnxError, `seed ${seed}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  });

  it('dims claiming 2^40 elements without data: opens, validate reports it, reading refuses without allocating', async () => {
    const spec = mlpSpec();
    spec.initializers!.push({ name: 'huge', dims: [L(2 ** 20), L(2 ** 20)], dataType: FLOAT, rawData: new Uint8Array(16) });
    const m = await parseModel(encode(spec), { file: 'huge.onnx' });
    const r = inspect(m);
    assert.equal(r.parameter_count, 8 + 2 ** 40);
    const v = await validate(m);
    assert.ok(v.findings.some((f) => f.code === 'tensor-data-size' && f.tensor === 'huge'));
    const huge = m.proto.graph!.initializer!.find((t) => t.name === 'huge')!;
    const before = process.memoryUsage().rss;
    await rejectsWith(m.readTensor(huge), 'tensor-data', /huge/);
    assert.ok(process.memoryUsage().rss - before < 256 * 2 ** 20, 'no giant allocation');
  });

  it('subgraphs nested hundreds of levels deep give a clear error, not a stack overflow', async () => {
    // Built bottom-up from bytes: protobufjs' own encoder refuses such depth too.
    const cat = (...p: Uint8Array[]): Uint8Array => Buffer.concat(p);
    let graph = onnx.GraphProto.encode({ name: 'leaf', node: [node('Identity', ['X'], ['o'])], output: [tensorInfo('o', FLOAT, null)] }).finish();
    for (let i = 0; i < 400; i++) {
      const attr = cat(onnx.AttributeProto.encode({ name: 'then_branch', type: 5 }).finish(), lengthDelimitedHeader(6, graph.length), graph);
      const n = cat(onnx.NodeProto.encode(node('If', ['c'], ['o'])).finish(), lengthDelimitedHeader(5, attr.length), attr);
      graph = cat(onnx.GraphProto.encode({ name: `g${i}`, output: [tensorInfo('o', FLOAT, null)] }).finish(), lengthDelimitedHeader(1, n.length), n);
    }
    const model = cat(onnx.ModelProto.encode({ irVersion: L(8), opsetImport: [{ domain: '', version: L(17) }] }).finish(), lengthDelimitedHeader(7, graph.length), graph);
    await rejectsWith(parseModel(model, { file: 'deep.onnx' }), 'too-deep', /nested deeper/);
  });

  it('moderately nested subgraphs (20 levels) open and are walked without recursion problems', async () => {
    let g: onnx.GraphProto.$Properties = { name: 'leaf', node: [node('Identity', ['X'], ['leaf_o'])], output: [tensorInfo('leaf_o', FLOAT, null)] };
    for (let i = 0; i < 20; i++) {
      g = { name: `g${i}`, node: [node('If', ['c'], [`o${i}`], { attribute: [{ name: 'then_branch', type: 5, g }] })], output: [tensorInfo(`o${i}`, FLOAT, null)] };
    }
    const spec: ModelSpec = { nodes: g.node!, inputs: [tensorInfo('c', onnx.TensorProto.DataType.BOOL, []), tensorInfo('X', FLOAT, [1])], outputs: [tensorInfo('o19', FLOAT, null)] };
    const r = inspect(await parseModel(encode(spec)));
    assert.equal(r.subgraph_count, 20);
    assert.equal(r.node_count_total, 21);
  });

  describe('external data locations cannot leave the model folder', () => {
    const external = (location: string): ModelSpec => {
      const spec = mlpSpec();
      spec.initializers![0] = {
        name: 'W', dims: [L(3), L(2)], dataType: FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: '24' }],
      };
      return spec;
    };

    for (const loc of ['../secret.bin', '/etc/passwd', 'sub/../../secret.bin']) {
      it(`refuses '${loc}' when reading and reports it in validate`, async () => {
        writeFileSync(join(tmp.dir, '..', 'secret.bin'), new Uint8Array(24));
        const m = await openModel(tmp.file('ext.onnx', encode(external(loc))));
        try {
          const e = await rejectsWith(m.readTensor(m.proto.graph!.initializer![0]!), 'external-data', /absolute path|leaves the model's folder/);
          assert.ok(e.message.includes(loc));
          const v = await validate(m);
          assert.ok(v.findings.some((f) => f.code === 'external-data-path' && f.message.includes(loc)));
        } finally {
          await m.close();
        }
      });
    }

    it('refuses a symlink inside the folder that points outside it', async () => {
      writeFileSync(join(tmp.dir, '..', 'ptp-outside.bin'), new Uint8Array(24));
      symlinkSync(join(tmp.dir, '..', 'ptp-outside.bin'), join(tmp.dir, 'link.bin'));
      const m = await openModel(tmp.file('ext.onnx', encode(external('link.bin'))));
      try {
        await rejectsWith(m.readTensor(m.proto.graph!.initializer![0]!), 'external-data', /links outside/);
      } finally {
        await m.close();
      }
    });

    it('reports a missing or short external file', async () => {
      mkdirSync(join(tmp.dir, 'sub'));
      tmp.file('sub/short.bin', new Uint8Array(10));
      const m = await openModel(tmp.file('ext.onnx', encode(external('sub/short.bin'))));
      const m2 = await openModel(tmp.file('ext2.onnx', encode(external('missing.bin'))));
      try {
        assert.ok((await validate(m)).findings.some((f) => f.code === 'external-data-short'));
        assert.ok((await validate(m2)).findings.some((f) => f.code === 'external-data-missing'));
        await rejectsWith(m.readTensor(m.proto.graph!.initializer![0]!), 'external-data', /too short/);
      } finally {
        await m.close();
        await m2.close();
      }
    });
  });
});
