/**
 * ONNX's backend test models (found by test/helpers/testdata.ts; required when CI=true): every graph of every
 * model must build a view, and our shape inference must never contradict the output shapes the tests declare.
 */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { buildGraphView, loadShapeConstants, nodeDetail } from '../../../../src/core/graph-view';
import { walkGraphs } from '../../../../src/core/graph-walk';
import { inferShapes, typeInfoOf } from '../../../../src/core/shape-inference';
import { listCorpus, testDataRootOrMissingTest } from '../../../helpers/testdata';

describe('graph view: ONNX backend test corpus', function () {
  const root = testDataRootOrMissingTest();
  if (!root) return;

  it('builds a view of every graph and function, details of every node, and agrees with declared output shapes', async () => {
    const corpus = listCorpus(root);
    let models = 0;
    let graphs = 0;
    let checked = 0;
    let agreed = 0;
    const contradictions: string[] = [];
    const failures: string[] = [];
    const t0 = performance.now();
    for (const c of corpus) {
      let m;
      try {
        m = await openModel(c.file);
      } catch {
        continue; // models the reader rejects are covered by the core corpus tests
      }
      try {
        models++;
        const constants = await loadShapeConstants(m);
        const paths = [...walkGraphs(m.proto.graph!)].map((w) => w.path);
        for (const f of buildGraphView(m, 'main', { constants }).functions) paths.push(f.path);
        for (const p of paths) {
          try {
            const v = buildGraphView(m, p, { constants });
            for (const n of v.nodes) nodeDetail(m, p, n.id);
            graphs++;
          } catch (e) {
            failures.push(`${c.id} ${p}: ${(e as Error).message}`);
          }
        }
        // Inference without the declared outputs, compared with them.
        const g = m.proto.graph!;
        const bare = { ...g, valueInfo: [], output: (g.output ?? []).map((o) => ({ name: o.name })) };
        const types = inferShapes(bare, m.proto.opsetImport, undefined, { constants, functions: m.proto.functions });
        for (const o of g.output ?? []) {
          const want = typeInfoOf(o.type);
          if (!want?.shape) continue;
          checked++;
          const got = types.get(o.name ?? '');
          if (!got?.shape) continue;
          const fits = got.shape.length === want.shape.length && got.shape.every((d, i) => d === null || d === want.shape![i] || typeof want.shape![i] !== 'number');
          const typeFits = !got.elemType || got.elemType === want.elemType;
          if (!fits || !typeFits) contradictions.push(`${c.id} ${o.name}: declared ${want.elemType}${JSON.stringify(want.shape)}, inferred ${got.elemType}${JSON.stringify(got.shape)}`);
          else if (JSON.stringify(got.shape) === JSON.stringify(want.shape)) agreed++;
        }
      } finally {
        await m.close();
      }
    }
    const ms = performance.now() - t0;
    console.log(`      ${models} models, ${graphs} graphs in ${ms.toFixed(0)} ms; output shapes inferred exactly: ${agreed}/${checked}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(contradictions, []);
    assert.ok(models > 100);
    assert.ok(agreed / checked > 0.7, `only ${agreed}/${checked} output shapes inferred`);
  });
});
