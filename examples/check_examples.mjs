#!/usr/bin/env node
// Runs the shipped digits models with onnxruntime-node on digits_test.csv and checks that the accuracy
// equals the `test_accuracy` that examples/make_examples.py measured in PyTorch (stored in the model's
// metadata_props and in examples/digits/README.md's tables; make_pruning_example.py's models in its pruning section).
// Exit 0 when all match, 1 otherwise.
//
//   node examples/check_examples.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'digits');

const lines = readFileSync(join(dir, 'digits_test.csv'), 'utf8').trim().split('\n');
const header = lines[0].split(',');
if (header.length !== 65 || header[0] !== 'pixel_0' || header[64] !== 'label') {
  throw new Error(`digits_test.csv: unexpected header ${lines[0].slice(0, 60)}…`);
}
const rows = lines.slice(1).map((l) => l.split(',').map(Number));
const n = rows.length;
const pixels = new Float32Array(n * 64);
const labels = rows.map((r, i) => {
  pixels.set(r.slice(0, 64), i * 64);
  return r[64];
});

let failed = false;
// [model, input dims, the README whose table holds its accuracy]
for (const [file, dims, readmeFile] of [
  ['digits_mlp.onnx', [n, 64], 'README.md'],
  ['digits_cnn.onnx', [n, 1, 8, 8], 'README.md'],
  ['digits_mlp_wide.onnx', [n, 64], 'README.md'],
  ['digits_resnet.onnx', [n, 1, 8, 8], 'README.md'],
]) {
  const session = await ort.InferenceSession.create(join(dir, file));
  const out = await session.run({ input: new ort.Tensor('float32', pixels, dims) });
  const logits = out.logits.data;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
    if (best === labels[i]) correct++;
  }
  const acc = correct / n;
  // metadata_props are not exposed by onnxruntime-node's session; read the number from the README table.
  const readme = readFileSync(join(dir, readmeFile), 'utf8');
  const m = readme.match(new RegExp('\\| `' + file.replace('.', '\\.') + '` \\| \\d+ \\| [0-9.]+ \\| ([0-9.]+) \\|'));
  const expected = m ? Number(m[1]) : NaN;
  const ok = Math.abs(acc - expected) < 5e-5;
  if (!ok) failed = true;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${file}: onnxruntime accuracy ${acc.toFixed(4)} (${correct}/${n}), PyTorch reported ${expected}`,
  );
  await session.release();
}
process.exit(failed ? 1 : 0);
