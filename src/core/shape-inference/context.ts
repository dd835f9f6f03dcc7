/** What an operator rule sees of one node: its inputs' types and values, its attributes, and a way to set outputs. */
import { longToNumber } from '../long';
import { inlineConst } from './constants';
import type { ConstValue, Dim, TypeInfo } from './types';
import type { Node, Attribute, Graph, TensorProto } from '../onnx-types';


/** Name lookups in the graph being inferred and, through it, its enclosing graphs. */
export interface Scope {
  type(name: string): TypeInfo | undefined;
  value(name: string): ConstValue | undefined;
  /** Infers a subgraph (If/Loop bodies) with this scope as outer scope; `inputs` types its undeclared inputs. */
  inferSubgraph(g: Graph, inputs?: readonly (TypeInfo | undefined)[]): (TypeInfo | undefined)[];
}

export interface Output {
  type: TypeInfo;
  value?: ConstValue;
}

export class NodeCtx {
  readonly outs: (Output | undefined)[] = [];

  constructor(
    readonly node: Node,
    /** Opset version of the node's domain. */
    readonly opset: number,
    readonly scope: Scope,
  ) {}

  get inputCount(): number {
    return this.node.input?.length ?? 0;
  }

  get outputCount(): number {
    return this.node.output?.length ?? 0;
  }

  /** Whether input `i` is given (not omitted with ''). */
  has(i: number): boolean {
    return !!this.node.input?.[i];
  }

  type(i: number): TypeInfo | undefined {
    const n = this.node.input?.[i];
    return n ? this.scope.type(n) : undefined;
  }

  shape(i: number): Dim[] | null {
    return this.type(i)?.shape ?? null;
  }

  elem(i: number): number {
    return this.type(i)?.elemType ?? 0;
  }

  rank(i: number): number | null {
    const s = this.shape(i);
    return s ? s.length : null;
  }

  value(i: number): ConstValue | undefined {
    const n = this.node.input?.[i];
    return n ? this.scope.value(n) : undefined;
  }

  attr(name: string): Attribute | undefined {
    const attrs = this.node.attribute;
    if (!attrs) return undefined;
    for (const a of attrs) if (a.name === name) return a;
    return undefined;
  }

  int(name: string, def: number): number {
    const a = this.attr(name);
    return a && a.i !== null && a.i !== undefined ? longToNumber(a.i) : def;
  }

  ints(name: string): number[] | undefined {
    const a = this.attr(name);
    if (!a || !a.ints || a.ints.length === 0) return undefined;
    return a.ints.map((v) => longToNumber(v));
  }

  float(name: string, def: number): number {
    const a = this.attr(name);
    return a && typeof a.f === 'number' ? a.f : def;
  }

  floats(name: string): number[] | undefined {
    const a = this.attr(name);
    return a && a.floats && a.floats.length > 0 ? [...a.floats] : undefined;
  }

  str(name: string, def: string): string {
    const a = this.attr(name);
    if (!a || !a.s || a.s.length === 0) return def;
    return Buffer.from(a.s).toString('utf8');
  }

  /** Value of a tensor held in an attribute (Constant, ConstantOfShape). */
  constOf(t: TensorProto | null | undefined): ConstValue | undefined {
    return inlineConst(t);
  }

  set(i: number, elemType: number, shape: readonly Dim[] | null, value?: ConstValue): void {
    if (i >= this.outputCount || !this.node.output?.[i]) return;
    this.outs[i] = { type: { elemType, shape: shape ? [...shape] : null }, value };
  }

  /** Output `i` with the type and shape of input `j` (element-wise unary ops). */
  same(i: number, j: number, elemType?: number): void {
    const t = this.type(j);
    this.set(i, elemType ?? t?.elemType ?? 0, t?.shape ?? null);
  }
}
