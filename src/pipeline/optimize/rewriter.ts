/**
 * Rewriter: one sweep of local rewrites over the main graph in O(nodes). Lookups use one index built at the
 * start; replacements, removals and renames are recorded and applied together by `commit`. A rewrite whose
 * nodes another rewrite of the same sweep already touched is skipped (the next fixpoint round sees it).
 */
import type { GraphIndex, PassContext } from './context';
import type { Node } from '../shared/nodes';

export class Rewriter {
  readonly index: GraphIndex;
  /** Graph outputs and names subgraphs read: never renamed away. */
  readonly pinned: ReadonlySet<string>;
  readonly graphOutputs: ReadonlySet<string>;
  readonly graphInputs: ReadonlySet<string>;
  readonly outerScope: ReadonlySet<string>;
  readonly initializers: ReadonlySet<string>;
  /** Original node → its replacement (null: removed). */
  private readonly replaced = new Map<Node, Node | null>();
  /** Replacement → the original node it stands for. */
  private readonly originOf = new Map<Node, Node>();
  private readonly producers = new Map<string, Node>();
  private readonly touched = new Set<Node>();
  /** Readers of the key read the value instead (resolved transitively at commit). */
  private readonly aliases = new Map<string, string>();
  /** The tensor is renamed everywhere: its producer's output and its readers. */
  private readonly renames = new Map<string, string>();
  /** Tensors that no longer exist (their value_info is dropped at commit). */
  private readonly gone = new Set<string>();

  constructor(readonly ctx: PassContext) {
    this.index = ctx.index();
    this.graphOutputs = ctx.graphOutputs();
    this.graphInputs = ctx.graphInputs();
    this.initializers = new Set((ctx.graph.initializer ?? []).map((t) => t.name ?? ''));
    this.outerScope = ctx.outerScopeNames();
    const pinned = new Set(this.outerScope);
    for (const o of this.graphOutputs) pinned.add(o);
    this.pinned = pinned;
  }

  /** The node that now writes `name` (following replacements), undefined for inputs, initializers and removed nodes. */
  producer(name: string): Node | undefined {
    const p = this.producers.get(name) ?? this.index.producer.get(name);
    if (!p) return undefined;
    const now = this.replaced.has(p) ? this.replaced.get(p) : p;
    return now && (now.output ?? []).includes(name) ? now : undefined;
  }

  /** Readers of `name` when the sweep started. */
  consumers(name: string): readonly Node[] {
    return this.index.consumers.get(name) ?? [];
  }

  /** Read by exactly one node and neither a graph output nor read by a subgraph. */
  readOnlyBy(name: string, reader: Node): boolean {
    const c = this.consumers(name);
    return c.length === 1 && c[0] === reader && !this.pinned.has(name);
  }

  isTouched(...nodes: Node[]): boolean {
    return nodes.some((n) => this.touched.has(n));
  }

  /** `old` (an original node or an earlier replacement) becomes `replacement`. */
  replace(old: Node, replacement: Node): void {
    const origin = this.originOf.get(old) ?? old;
    this.replaced.set(origin, replacement);
    this.originOf.set(replacement, origin);
    this.touched.add(old).add(origin).add(replacement);
    for (const o of replacement.output ?? []) if (o) this.producers.set(o, replacement);
  }

  /** Removes `n` (an original node or an earlier replacement). */
  remove(n: Node): void {
    const origin = this.originOf.get(n) ?? n;
    this.replaced.set(origin, null);
    this.touched.add(n).add(origin);
  }

  /** Readers of `from` read `to` instead. */
  alias(from: string, to: string): void {
    this.aliases.set(from, to);
  }

  /** `from` is renamed to `to` everywhere in the main graph (its producer writes `to`). */
  rename(from: string, to: string): void {
    this.renames.set(from, to);
  }

  /** `name` no longer exists after the rewrite (its value_info goes). */
  forget(name: string): void {
    this.gone.add(name);
  }

  /** The name readers of `name` will read after commit. */
  resolve(name: string): string {
    let n = name;
    for (let guard = 0; this.aliases.has(n) && guard < 1_000_000; guard++) n = this.aliases.get(n)!;
    return this.renames.get(n) ?? n;
  }

  hasRename(name: string): boolean {
    return this.renames.has(name);
  }

  /** Applies everything recorded; returns whether anything changed. */
  commit(): boolean {
    if (this.replaced.size === 0 && this.aliases.size === 0 && this.renames.size === 0 && this.gone.size === 0) return false;
    const out: Node[] = [];
    for (const n of this.ctx.nodes()) {
      const now = this.replaced.has(n) ? this.replaced.get(n) : n;
      if (!now) continue;
      if (this.aliases.size > 0 || this.renames.size > 0) {
        const ins = now.input ?? [];
        if (ins.some((i) => i && i !== this.resolve(i))) now.input = ins.map((i) => (i ? this.resolve(i) : i));
        const outs = now.output ?? [];
        if (outs.some((o) => this.renames.has(o))) now.output = outs.map((o) => this.renames.get(o) ?? o);
      }
      out.push(now);
    }
    this.ctx.graph.node = out;
    this.ctx.dropValueInfo(new Set([...this.aliases.keys(), ...this.renames.keys(), ...this.gone]));
    return true;
  }
}
