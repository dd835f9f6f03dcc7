/** The pipeline's expression language: tokens, precedence, stage paths with dashes, errors with offsets, no eval. */
import assert from 'node:assert/strict';
import { evaluateCheck, evaluateExpr, ExprError, parseExpr, pathsOf, tokenize, type Expr } from '../../../../src/pipeline/pipeline';

const outputs: Record<string, Record<string, unknown>> = {
  base: { metrics: { accuracy: 0.98 }, task: 'classification' },
  'int8-eval': { metrics: { accuracy: 0.975 } },
  int8: { size_ratio: 0.63, output: '/x/int8.onnx' },
};

const lookup = (p: Extract<Expr, { kind: 'path' }>): unknown => {
  let v: unknown = outputs[p.stage];
  for (const f of p.fields) {
    if (v === null || typeof v !== 'object' || !(f in (v as object))) throw new ExprError(`${p.text} is missing`, p.at);
    v = (v as Record<string, unknown>)[f];
  }
  return v;
};

const run = (src: string): unknown => evaluateExpr(parseExpr(src), lookup);

function throwsAt(src: string, offset: number, pattern: RegExp): void {
  assert.throws(
    () => run(src),
    (e: unknown) => e instanceof ExprError && e.offset === offset && pattern.test(e.message),
    src,
  );
}

describe('pipeline: expressions', () => {
  it('arithmetic has the usual precedence and unary minus', () => {
    assert.equal(run('1 + 2 * 3'), 7);
    assert.equal(run('(1 + 2) * 3'), 9);
    assert.equal(run('10 / 4 - 1'), 1.5);
    assert.equal(run('-2 * -3'), 6);
    assert.equal(run('1e-2 + .5'), 0.51);
  });

  it('comparisons, and / or / not with not binding tighter than and, and tighter than or', () => {
    assert.equal(run('1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 == 1 and 1 != 2'), true);
    assert.equal(run('not 1 > 2'), true);
    assert.equal(run('true or false and false'), true);
    assert.equal(run('not true or true'), true);
    assert.equal(run('"a" < "b"'), true);
    assert.equal(run("'x' == \"x\""), true);
    assert.equal(run('null == null'), true);
  });

  it('stage paths: ids and fields with dashes; a spaced minus subtracts', () => {
    assert.equal(run('stages.int8-eval.metrics.accuracy >= stages.base.metrics.accuracy - 0.01'), true);
    assert.equal(run('stages.int8-eval.metrics.accuracy >= stages.base.metrics.accuracy - 0.001'), false);
    assert.equal(run('stages.int8.output'), '/x/int8.onnx');
    const paths = pathsOf(parseExpr('stages.a-b.c + stages.d.e.f'));
    assert.deepEqual(paths.map((p) => [p.stage, p.fields, p.text, p.at]), [
      ['a-b', ['c'], 'stages.a-b.c', 0],
      ['d', ['e', 'f'], 'stages.d.e.f', 15],
    ]);
  });

  it('a check reports both sides of its comparison', () => {
    assert.deepEqual(evaluateCheck(parseExpr('stages.int8.size_ratio <= 0.5'), lookup), { passed: false, left: 0.63, right: 0.5 });
    assert.deepEqual(evaluateCheck(parseExpr('stages.int8.size_ratio < 1 and true'), lookup), { passed: true, left: true, right: null });
    assert.throws(() => evaluateCheck(parseExpr('stages.int8.size_ratio + 1'), lookup), /must be true or false/);
  });

  it('syntax errors carry the offset of the problem', () => {
    throwsAt('1 +', 3, /expected a value but found the end/);
    throwsAt('(1 + 2', 6, /expected "\)"/);
    throwsAt('1 < 2 < 3', 6, /do not chain/);
    throwsAt('foo.bar > 1', 0, /unknown name "foo"/);
    throwsAt('stages.base > 1', 0, /stages\.<id>\.<output>/);
    throwsAt('1 = 1', 2, /unexpected character "="/);
    throwsAt('2 3', 2, /unexpected "3"/);
    throwsAt('"abc', 0, /unterminated string/);
    throwsAt('and', 0, /expected a value but found "and"/);
  });

  it('type and value errors: numbers only for arithmetic, booleans only for logic, no division by zero', () => {
    throwsAt('stages.base.task + 1', 17, /needs numbers/);
    throwsAt('1 and true', 0, /expected true or false/);
    throwsAt('1 / 0', 2, /division by zero/);
    throwsAt('stages.base.metrics.f1 > 0', 0, /missing/);
  });

  it('nothing is evaluated as JavaScript', () => {
    assert.throws(() => run('process.exit(1)'), /unknown name "process"/);
    assert.throws(() => run('constructor.constructor'), /unknown name/);
    assert.throws(() => tokenize('a; b'), /unexpected character ";"/);
    assert.throws(() => tokenize('`x`'), /unexpected character "`"/);
  });
});
