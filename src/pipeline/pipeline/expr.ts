/**
 * The expressions of a pipeline file: gate checks (`stages.int8.size_ratio <= 0.5 and not stages.base.task == "x"`)
 * and `${{ … }}` substitutions in `with:`. A tokenizer and a recursive-descent parser — nothing is ever `eval`ed.
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := add (('<' | '<=' | '>' | '>=' | '==' | '!=') add)?
 *   add     := mul (('+' | '-') mul)*
 *   mul     := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NUMBER | STRING | 'true' | 'false' | 'null' | path | '(' expr ')'
 *   path    := 'stages' '.' ID ('.' NAME)+
 *
 * Stage ids and field names may hold `-` (`stages.int8-eval.metrics.accuracy`): a `-` right after a name and before
 * a letter or digit is part of the name, so write subtraction with spaces (`a - 0.01`).
 */

export type Value = number | string | boolean | null;

export type Expr =
  | { readonly kind: 'literal'; readonly value: Value; readonly at: number }
  | { readonly kind: 'path'; readonly stage: string; readonly fields: readonly string[]; readonly at: number; readonly text: string }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Expr; readonly at: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly at: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** A syntax or evaluation error at `offset` (0-based, in the expression's text). */
export class ExprError extends Error {
  override name = 'ExprError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Token {
  readonly type: 'num' | 'str' | 'name' | 'op' | 'end';
  readonly text: string;
  readonly value?: number | string;
  readonly at: number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (NAME_START.test(src[i] ?? '')) throw new ExprError(`a number cannot run into a name ("${src.slice(start, i + 1)}")`, start);
      out.push({ type: 'num', text: m[0], value: Number(m[0]), at: start });
      continue;
    }
    if (NAME_START.test(c)) {
      i++;
      while (i < src.length && (NAME_CHAR.test(src[i]!) || (src[i] === '-' && NAME_CHAR.test(src[i + 1] ?? '')))) i++;
      out.push({ type: 'name', text: src.slice(start, i), at: start });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let s = '';
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        s += src[i];
        i++;
      }
      if (i >= src.length) throw new ExprError('unterminated string', start);
      i++;
      out.push({ type: 'str', text: src.slice(start, i), value: s, at: start });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<=', '>=', '==', '!='].includes(two)) {
      out.push({ type: 'op', text: two, at: start });
      i += 2;
      continue;
    }
    if ('+-*/<>().'.includes(c)) {
      out.push({ type: 'op', text: c, at: start });
      i++;
      continue;
    }
    throw new ExprError(`unexpected character "${c}"`, start);
  }
  out.push({ type: 'end', text: '', at: src.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

/** Parses one expression; throws ExprError with the offset of the problem. */
export function parseExpr(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (t: Token, ...ops: string[]) => (t.type === 'op' || (t.type === 'name' && KEYWORDS.has(t.text))) && ops.includes(t.text);
  const describe = (t: Token) => (t.type === 'end' ? 'the end of the expression' : `"${t.text}"`);

  const primary = (): Expr => {
    const t = next();
    if (t.type === 'num') return { kind: 'literal', value: t.value as number, at: t.at };
    if (t.type === 'str') return { kind: 'literal', value: t.value as string, at: t.at };
    if (t.type === 'op' && t.text === '(') {
      const e = or();
      const close = next();
      if (!isOp(close, ')')) throw new ExprError(`expected ")" but found ${describe(close)}`, close.at);
      return e;
    }
    if (t.type === 'name') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', at: t.at };
      if (t.text === 'null') return { kind: 'literal', value: null, at: t.at };
      if (KEYWORDS.has(t.text)) throw new ExprError(`expected a value but found "${t.text}"`, t.at);
      if (t.text !== 'stages') throw new ExprError(`unknown name "${t.text}": values are stages.<id>.<output>`, t.at);
      const parts: string[] = [];
      while (isOp(peek(), '.')) {
        next();
        const seg = next();
        if (seg.type !== 'name' && seg.type !== 'num') throw new ExprError(`expected a name after "." but found ${describe(seg)}`, seg.at);
        parts.push(seg.text);
      }
      if (parts.length < 2) throw new ExprError('a value is stages.<id>.<output>, e.g. stages.base.metrics.accuracy', t.at);
      const end = tokens[pos - 1]!;
      return { kind: 'path', stage: parts[0]!, fields: parts.slice(1), at: t.at, text: src.slice(t.at, end.at + end.text.length) };
    }
    throw new ExprError(`expected a value but found ${describe(t)}`, t.at);
  };
  const unary = (): Expr => {
    if (isOp(peek(), '-')) {
      const t = next();
      return { kind: 'unary', op: '-', arg: unary(), at: t.at };
    }
    return primary();
  };
  const binaryLevel = (ops: BinaryOp[], sub: () => Expr) => (): Expr => {
    let left = sub();
    while (isOp(peek(), ...ops)) {
      const t = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: sub(), at: t.at };
    }
    return left;
  };
  const mul = binaryLevel(['*', '/'], unary);
  const add = binaryLevel(['+', '-'], mul);
  const cmp = (): Expr => {
    const left = add();
    if (isOp(peek(), '<', '<=', '>', '>=', '==', '!=')) {
      const t = next();
      const e: Expr = { kind: 'binary', op: t.text as BinaryOp, left, right: add(), at: t.at };
      if (isOp(peek(), '<', '<=', '>', '>=', '==', '!=')) throw new ExprError('comparisons do not chain: join them with "and"', peek().at);
      return e;
    }
    return left;
  };
  const not = (): Expr => {
    if (isOp(peek(), 'not')) {
      const t = next();
      return { kind: 'unary', op: 'not', arg: not(), at: t.at };
    }
    return cmp();
  };
  const and = binaryLevel(['and'], not);
  const or = binaryLevel(['or'], and);

  const e = or();
  const rest = peek();
  if (rest.type !== 'end') throw new ExprError(`unexpected ${describe(rest)}`, rest.at);
  return e;
}

/** Every `stages.…` path in an expression, in order. */
export function pathsOf(e: Expr): Extract<Expr, { kind: 'path' }>[] {
  switch (e.kind) {
    case 'literal':
      return [];
    case 'path':
      return [e];
    case 'unary':
      return pathsOf(e.arg);
    case 'binary':
      return [...pathsOf(e.left), ...pathsOf(e.right)];
  }
}

/** Looks a path up; throws ExprError when the value is not there. */
export type Lookup = (p: Extract<Expr, { kind: 'path' }>) => unknown;

const typeName = (v: unknown) => (v === null ? 'null' : typeof v);

function asNumber(v: unknown, e: Expr, op: string): number {
  if (typeof v !== 'number') throw new ExprError(`"${op}" needs numbers, got ${typeName(v)} ${JSON.stringify(v)}`, e.at);
  return v;
}

function truthy(v: unknown, e: Expr): boolean {
  if (typeof v !== 'boolean') throw new ExprError(`expected true or false, got ${typeName(v)} ${JSON.stringify(v)}`, e.at);
  return v;
}

export function evaluateExpr(e: Expr, lookup: Lookup): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'path':
      return lookup(e);
    case 'unary': {
      const v = evaluateExpr(e.arg, lookup);
      return e.op === '-' ? -asNumber(v, e, '-') : !truthy(v, e);
    }
    case 'binary': {
      if (e.op === 'and') return truthy(evaluateExpr(e.left, lookup), e.left) && truthy(evaluateExpr(e.right, lookup), e.right);
      if (e.op === 'or') return truthy(evaluateExpr(e.left, lookup), e.left) || truthy(evaluateExpr(e.right, lookup), e.right);
      const l = evaluateExpr(e.left, lookup);
      const r = evaluateExpr(e.right, lookup);
      if (e.op === '==') return l === r;
      if (e.op === '!=') return l !== r;
      if (COMPARISONS.has(e.op) && typeof l === 'string' && typeof r === 'string') return compare(e.op, l < r ? -1 : l > r ? 1 : 0);
      const a = asNumber(l, e, e.op);
      const b = asNumber(r, e, e.op);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (b === 0) throw new ExprError('division by zero', e.at);
          return a / b;
        default:
          return compare(e.op, a - b);
      }
    }
  }
}

function compare(op: BinaryOp, d: number): boolean {
  switch (op) {
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    default:
      return false;
  }
}

/** A check's result: its value, and both sides' values when it is a comparison. */
export function evaluateCheck(e: Expr, lookup: Lookup): { passed: boolean; left: unknown; right: unknown } {
  if (e.kind === 'binary' && COMPARISONS.has(e.op)) {
    const left = evaluateExpr(e.left, lookup);
    const right = evaluateExpr(e.right, lookup);
    const passed = evaluateExpr({ kind: 'binary', op: e.op, left: literalOf(left, e.left), right: literalOf(right, e.right), at: e.at }, lookup);
    return { passed: passed === true, left, right };
  }
  const v = evaluateExpr(e, lookup);
  if (typeof v !== 'boolean') throw new ExprError(`a check must be true or false, this one is ${typeName(v)} ${JSON.stringify(v)}`, e.at);
  return { passed: v, left: v, right: null };
}

function literalOf(v: unknown, e: Expr): Expr {
  if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw new ExprError(`expected a number, string or boolean, got ${typeName(v)}`, e.at);
  return { kind: 'literal', value: v, at: e.at };
}

/** `${{ expr }}` occurrences in a string: offsets of the expression text inside it. */
export function substitutions(s: string): { expr: string; start: number; end: number; exprAt: number }[] {
  const out: { expr: string; start: number; end: number; exprAt: number }[] = [];
  const re = /\$\{\{([\s\S]*?)\}\}/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ expr: m[1]!, start: m.index, end: m.index + m[0].length, exprAt: m.index + 3 });
  return out;
}
