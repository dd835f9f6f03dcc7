/**
 * A fast layered (Sugiyama-style) top-to-bottom layout for one container, linear-ish in the graph size:
 *   1. cycles broken by reversing DFS back edges (aggregated group edges can form cycles);
 *   2. ranks by longest path, sources pulled down next to their first consumer, pinned items (a group's
 *      entry and exit ports) on the first and last rank;
 *   3. long edges split into dummy chains; far edges of broadcast sources (≥ STUB_FANOUT far consumers,
 *      e.g. an attention mask read by every layer) and edges past the dummy budget become stubs: a short
 *      lead into the target, so they neither explode the layout nor cross the picture;
 *   4. order within ranks by barycentre sweeps, the order with the fewest crossings kept
 *      (bilayer cross counting with an accumulator tree);
 *   5. x by iterated weighted least squares under separation constraints (pool-adjacent-violators per
 *      rank), long edges weighted so they run straight;
 *   6. edge polylines through the dummies, ports spread along the box edges.
 * dagre (layout-dagre.ts) does the same steps with heavier algorithms (network simplex, transpositions,
 * Brandes–Köpf) and costs ~1 ms per node; this engine handles 10,000 nodes in a few hundred ms.
 */
import type { LayoutInput, LayoutOutput } from './layout-types';

const ORDER_ITERATIONS = 8;
const POSITION_ITERATIONS = 6;
/** A source with this many edges spanning more than STUB_SPAN ranks is a broadcast: those edges are stubs. */
export const STUB_FANOUT = 5;
const STUB_SPAN = 2;
/** Length of a stub above its target. */
export const STUB_LENGTH = 18;

export function layeredLayout(input: LayoutInput): LayoutOutput {
  const n = input.sizes.length / 2;
  const E = input.edges.length / 2;
  if (n === 0) return { x: new Float64Array(0), y: new Float64Array(0), width: 0, height: 0, edgeStart: new Uint32Array(E + 1), points: new Float32Array(0) };

  // 1. Orientation: reverse DFS back edges.
  const src = new Int32Array(E);
  const dst = new Int32Array(E);
  const reversed = new Uint8Array(E);
  const skip = new Uint8Array(E);
  orient(n, input.edges, src, dst, reversed, skip);

  // 2. Ranks.
  const rankOf = longestPathRanks(n, src, dst, skip, input.pins);
  let maxRank = 0;
  for (let v = 0; v < n; v++) if (rankOf[v]! > maxRank) maxRank = rankOf[v]!;

  // 3. Dummy chains.
  const width: number[] = [];
  const height: number[] = [];
  const rank: number[] = [];
  for (let v = 0; v < n; v++) {
    width.push(input.sizes[2 * v]!);
    height.push(input.sizes[2 * v + 1]!);
    rank.push(rankOf[v]!);
  }
  const chainStart = new Uint32Array(E + 1);
  const chainNodes: number[] = [];
  const segU: number[] = [];
  const segV: number[] = [];
  const segW: number[] = [];
  const stubs = new Uint8Array(E);
  const far = new Int32Array(n);
  for (let e = 0; e < E; e++) if (!skip[e] && !reversed[e] && rank[dst[e]!]! - rank[src[e]!]! > STUB_SPAN) far[src[e]!]++;
  let budget = Math.max(4000, 6 * n);
  for (let e = 0; e < E; e++) {
    chainStart[e] = chainNodes.length;
    if (skip[e]) continue;
    const s = src[e]!;
    const t = dst[e]!;
    const span = rank[t]! - rank[s]!;
    if (span > STUB_SPAN && !reversed[e] && far[s]! >= STUB_FANOUT) {
      stubs[e] = 1;
    } else if (span === 1) {
      segU.push(s);
      segV.push(t);
      segW.push(1);
    } else if (span > 1 && span - 1 > budget) {
      if (!reversed[e]) stubs[e] = 1;
    } else if (span > 1) {
      budget -= span - 1;
      let prev = s;
      for (let r = rank[s]! + 1; r < rank[t]!; r++) {
        const d = width.length;
        width.push(0);
        height.push(0);
        rank.push(r);
        chainNodes.push(d);
        segU.push(prev);
        segV.push(d);
        segW.push(prev === s ? 2 : 8);
        prev = d;
      }
      segU.push(prev);
      segV.push(t);
      segW.push(2);
    }
  }
  chainStart[E] = chainNodes.length;
  const total = width.length;
  const isDummy = (v: number) => v >= n;

  // Adjacency between neighbouring ranks (CSR): up = neighbours one rank above, down = one rank below.
  const up = csr(total, segV, segU, segW);
  const down = csr(total, segU, segV, segW);

  // 4. Order.
  const layers = initialOrder(total, maxRank, rank, down, n);
  const pos = new Float64Array(total);
  const setPositions = () => {
    for (const layer of layers) for (let i = 0; i < layer.length; i++) pos[layer[i]!] = i;
  };
  setPositions();
  let best = layers.map((l) => l.slice());
  let bestCrossings = countCrossings(layers, down, pos);
  const iterations = total > 40000 ? 3 : total > 10000 ? 5 : ORDER_ITERATIONS;
  const bary = new Float64Array(total);
  for (let it = 0; it < iterations && bestCrossings > 0; it++) {
    const downward = it % 2 === 0;
    const adj = downward ? up : down;
    const ranksInOrder = downward ? range(1, maxRank + 1) : range(maxRank - 1, -1);
    for (const r of ranksInOrder) {
      const layer = layers[r]!;
      for (const v of layer) {
        let sum = 0;
        let count = 0;
        for (let k = adj.start[v]!; k < adj.start[v + 1]!; k++) {
          sum += pos[adj.target[k]!]!;
          count++;
        }
        bary[v] = count > 0 ? sum / count : pos[v]!;
      }
      layer.sort((a, b) => bary[a]! - bary[b]! || pos[a]! - pos[b]!);
      for (let i = 0; i < layer.length; i++) pos[layer[i]!] = i;
    }
    const crossings = countCrossings(layers, down, pos);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers.map((l) => l.slice());
    }
  }
  for (let r = 0; r < layers.length; r++) layers[r] = best[r]!;
  setPositions();

  // 5. x coordinates.
  const sep = (a: number, b: number) =>
    (width[a]! + width[b]!) / 2 + (isDummy(a) && isDummy(b) ? input.edgesep : isDummy(a) || isDummy(b) ? (input.nodesep + input.edgesep) / 2 : input.nodesep);
  const x = new Float64Array(total);
  for (const layer of layers) {
    let cx = 0;
    for (let i = 0; i < layer.length; i++) {
      if (i > 0) cx += sep(layer[i - 1]!, layer[i]!);
      x[layer[i]!] = cx;
    }
  }
  const desired = new Float64Array(total);
  const weight = new Float64Array(total);
  const place = (r: number, useUp: boolean, useDown: boolean) => {
    const layer = layers[r]!;
    for (const v of layer) {
      let sum = 0;
      let w = 0;
      if (useUp)
        for (let k = up.start[v]!; k < up.start[v + 1]!; k++) {
          sum += up.weight[k]! * x[up.target[k]!]!;
          w += up.weight[k]!;
        }
      if (useDown)
        for (let k = down.start[v]!; k < down.start[v + 1]!; k++) {
          sum += down.weight[k]! * x[down.target[k]!]!;
          w += down.weight[k]!;
        }
      desired[v] = w > 0 ? sum / w : x[v]!;
      weight[v] = w > 0 ? w : 1e-3;
    }
    isotonicPlace(layer, desired, weight, sep, x);
  };
  for (let it = 0; it < POSITION_ITERATIONS; it++) {
    for (let r = 1; r <= maxRank; r++) place(r, true, false);
    for (let r = maxRank - 1; r >= 0; r--) place(r, false, true);
  }
  for (let r = 0; r <= maxRank; r++) place(r, true, true);

  // 6. y coordinates: each rank as tall as its tallest box.
  const rankTop = new Float64Array(maxRank + 2);
  const rankHeight = new Float64Array(maxRank + 1);
  for (let v = 0; v < n; v++) rankHeight[rank[v]!] = Math.max(rankHeight[rank[v]!]!, height[v]!);
  for (let r = 0; r <= maxRank; r++) rankTop[r + 1] = rankTop[r]! + rankHeight[r]! + (r < maxRank ? input.ranksep : 0);
  const y = new Float64Array(n);
  for (let v = 0; v < n; v++) y[v] = rankTop[rank[v]!]! + rankHeight[rank[v]!]! / 2;

  // Normalise x to start at 0.
  let minX = Infinity;
  let maxX = -Infinity;
  for (let v = 0; v < total; v++) {
    minX = Math.min(minX, x[v]! - width[v]! / 2);
    maxX = Math.max(maxX, x[v]! + width[v]! / 2);
  }
  for (let v = 0; v < total; v++) x[v] = x[v]! - minX;

  const { edgeStart, points } = routeEdges(E, src, dst, reversed, skip, stubs, chainStart, chainNodes, x, y, width, height, rank, rankTop, rankHeight, n);
  return { x: x.slice(0, n), y, width: maxX - minX, height: rankTop[maxRank + 1]!, edgeStart, points, stubs };
}

function orient(n: number, edges: Int32Array, src: Int32Array, dst: Int32Array, reversed: Uint8Array, skip: Uint8Array): void {
  const E = src.length;
  const outDeg = new Int32Array(n + 1);
  const inDeg = new Int32Array(n);
  for (let e = 0; e < E; e++) {
    const a = edges[2 * e]!;
    const b = edges[2 * e + 1]!;
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) {
      skip[e] = 1;
      continue;
    }
    outDeg[a]++;
    inDeg[b]++;
  }
  const start = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v]! + outDeg[v]!;
  const fill = start.slice(0, n);
  const outEdge = new Int32Array(start[n]!);
  for (let e = 0; e < E; e++) if (!skip[e]) outEdge[fill[edges[2 * e]!]!++] = e;

  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const stackNode = new Int32Array(n);
  const stackIter = new Int32Array(n);
  const visit = (root: number) => {
    let sp = 0;
    stackNode[0] = root;
    stackIter[0] = start[root]!;
    state[root] = 1;
    while (sp >= 0) {
      const v = stackNode[sp]!;
      if (stackIter[sp]! < start[v + 1]!) {
        const e = outEdge[stackIter[sp]!++]!;
        const w = edges[2 * e + 1]!;
        if (state[w] === 1) reversed[e] = 1;
        else if (state[w] === 0) {
          state[w] = 1;
          sp++;
          stackNode[sp] = w;
          stackIter[sp] = start[w]!;
        }
      } else {
        state[v] = 2;
        sp--;
      }
    }
  };
  for (let v = 0; v < n; v++) if (inDeg[v] === 0 && state[v] === 0) visit(v);
  for (let v = 0; v < n; v++) if (state[v] === 0) visit(v);
  for (let e = 0; e < E; e++) {
    const a = edges[2 * e]!;
    const b = edges[2 * e + 1]!;
    src[e] = reversed[e] ? b : a;
    dst[e] = reversed[e] ? a : b;
  }
}

function longestPathRanks(n: number, src: Int32Array, dst: Int32Array, skip: Uint8Array, pins: Int8Array | undefined): Int32Array {
  const E = src.length;
  const succ = csr(n, Array.from(src).filter((_, e) => !skip[e]), Array.from(dst).filter((_, e) => !skip[e]), null);
  const indeg = new Int32Array(n);
  for (let e = 0; e < E; e++) if (!skip[e]) indeg[dst[e]!]++;
  const hasPred = indeg.map((d) => (d > 0 ? 1 : 0));
  const rank = new Int32Array(n);
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < n; v++) if (indeg[v] === 0) order[tail++] = v;
  while (head < tail) {
    const v = order[head++]!;
    for (let k = succ.start[v]!; k < succ.start[v + 1]!; k++) {
      const w = succ.target[k]!;
      if (rank[v]! + 1 > rank[w]!) rank[w] = rank[v]! + 1;
      if (--indeg[w] === 0) order[tail++] = w;
    }
  }
  // Sources (weights, constants, inputs of a branch) sit just above their first consumer.
  for (let i = tail - 1; i >= 0; i--) {
    const v = order[i]!;
    if (hasPred[v] || succ.start[v] === succ.start[v + 1] || (pins && pins[v] !== 0)) continue;
    let min = Infinity;
    for (let k = succ.start[v]!; k < succ.start[v + 1]!; k++) min = Math.min(min, rank[succ.target[k]!]!);
    rank[v] = min - 1;
  }
  // Pinned items (a group's ports): entries stay on the top rank (they are sources), exits go below all.
  if (pins) {
    let max = 0;
    for (let v = 0; v < n; v++) if (pins[v] !== 1 && rank[v]! > max) max = rank[v]!;
    for (let v = 0; v < n; v++) if (pins[v] === 1) rank[v] = max + 1;
  }
  return rank;
}

interface Csr {
  readonly start: Int32Array;
  readonly target: Int32Array;
  readonly weight: Float64Array;
}

function csr(count: number, from: readonly number[], to: readonly number[], weights: readonly number[] | null): Csr {
  const start = new Int32Array(count + 1);
  for (const f of from) start[f + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i]!;
  const fill = start.slice(0, count);
  const target = new Int32Array(from.length);
  const weight = new Float64Array(from.length);
  for (let i = 0; i < from.length; i++) {
    const k = fill[from[i]!]!++;
    target[k] = to[i]!;
    weight[k] = weights ? weights[i]! : 1;
  }
  return { start, target, weight };
}

/** Depth-first from the top ranks, so chains start out aligned. */
function initialOrder(total: number, maxRank: number, rank: readonly number[], down: Csr, n: number): number[][] {
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  const seen = new Uint8Array(total);
  const byRank = Array.from({ length: total }, (_, v) => v).sort((a, b) => rank[a]! - rank[b]! || (a < n ? 0 : 1) - (b < n ? 0 : 1) || a - b);
  const stack: number[] = [];
  for (const root of byRank) {
    if (seen[root]) continue;
    stack.push(root);
    seen[root] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      layers[rank[v]!]!.push(v);
      for (let k = down.start[v + 1]! - 1; k >= down.start[v]!; k--) {
        const w = down.target[k]!;
        if (!seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
  }
  return layers;
}

/** Total crossings between all neighbouring ranks (Barth, Jünger, Mutzel: bilayer cross counting). */
function countCrossings(layers: readonly number[][], down: Csr, pos: Float64Array): number {
  let total = 0;
  const south: number[] = [];
  for (let r = 0; r + 1 < layers.length; r++) {
    const below = layers[r + 1]!.length;
    if (below < 2) continue;
    south.length = 0;
    for (const v of layers[r]!) {
      const from = south.length;
      for (let k = down.start[v]!; k < down.start[v + 1]!; k++) south.push(pos[down.target[k]!]!);
      if (south.length - from > 1) {
        const part = south.slice(from).sort((a, b) => a - b);
        for (let i = 0; i < part.length; i++) south[from + i] = part[i]!;
      }
    }
    let first = 1;
    while (first < below) first <<= 1;
    const tree = new Int32Array(2 * first - 1);
    first -= 1;
    for (const p of south) {
      let index = p + first;
      tree[index]++;
      while (index > 0) {
        if (index % 2) total += tree[index + 1]!;
        index = (index - 1) >> 1;
        tree[index]++;
      }
    }
  }
  return total;
}

/**
 * Places one rank: minimises Σ w·(x − desired)² keeping order and separations, exactly, by
 * pool-adjacent-violators on y_i = x_i − (sum of separations before i).
 */
function isotonicPlace(layer: readonly number[], desired: Float64Array, weight: Float64Array, sep: (a: number, b: number) => number, x: Float64Array): void {
  const k = layer.length;
  if (k === 0) return;
  const offset = new Float64Array(k);
  for (let i = 1; i < k; i++) offset[i] = offset[i - 1]! + sep(layer[i - 1]!, layer[i]!);
  const blockW = new Float64Array(k);
  const blockSum = new Float64Array(k);
  const blockEnd = new Int32Array(k);
  let top = -1;
  for (let i = 0; i < k; i++) {
    const v = layer[i]!;
    top++;
    blockW[top] = weight[v]!;
    blockSum[top] = weight[v]! * (desired[v]! - offset[i]!);
    blockEnd[top] = i;
    while (top > 0 && blockSum[top - 1]! / blockW[top - 1]! > blockSum[top]! / blockW[top]!) {
      blockW[top - 1] += blockW[top]!;
      blockSum[top - 1] += blockSum[top]!;
      blockEnd[top - 1] = blockEnd[top]!;
      top--;
    }
  }
  let i = 0;
  for (let b = 0; b <= top; b++) {
    const value = blockSum[b]! / blockW[b]!;
    for (; i <= blockEnd[b]!; i++) x[layer[i]!] = value + offset[i]!;
  }
}

function routeEdges(
  E: number,
  src: Int32Array,
  dst: Int32Array,
  reversed: Uint8Array,
  skip: Uint8Array,
  stubs: Uint8Array,
  chainStart: Uint32Array,
  chainNodes: readonly number[],
  x: Float64Array,
  y: Float64Array,
  width: readonly number[],
  height: readonly number[],
  rank: readonly number[],
  rankTop: Float64Array,
  rankHeight: Float64Array,
  n: number,
): { edgeStart: Uint32Array; points: Float32Array } {
  // Ports: spread the edges leaving (entering) a box by the x of their next (previous) point.
  const outOffset = new Float64Array(E);
  const inOffset = new Float64Array(E);
  const outs: number[][] = Array.from({ length: n }, () => []);
  const ins: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < E; e++) {
    if (skip[e]) continue;
    if (!stubs[e]) outs[src[e]!]!.push(e);
    ins[dst[e]!]!.push(e);
  }
  const nextX = (e: number) => (chainStart[e + 1]! > chainStart[e]! ? x[chainNodes[chainStart[e]!]!]! : x[dst[e]!]!);
  const prevX = (e: number) => (chainStart[e + 1]! > chainStart[e]! ? x[chainNodes[chainStart[e + 1]! - 1]!]! : x[src[e]!]!);
  const spread = (list: number[], key: (e: number) => number, boxWidth: number, out: Float64Array) => {
    if (list.length < 2) return;
    list.sort((a, b) => key(a) - key(b));
    const step = Math.min(10, (boxWidth * 0.7) / (list.length - 1));
    for (let i = 0; i < list.length; i++) out[list[i]!] = (i - (list.length - 1) / 2) * step;
  };
  for (let v = 0; v < n; v++) {
    spread(outs[v]!, nextX, width[v]!, outOffset);
    spread(ins[v]!, prevX, width[v]!, inOffset);
  }

  const edgeStart = new Uint32Array(E + 1);
  const pts: number[] = [];
  for (let e = 0; e < E; e++) {
    edgeStart[e] = pts.length / 2;
    if (skip[e]) continue;
    const s = src[e]!;
    const t = dst[e]!;
    if (stubs[e]) {
      const tx = x[t]! + inOffset[e]!;
      const top = y[t]! - height[t]! / 2;
      pts.push(tx, top - STUB_LENGTH, tx, top);
      continue;
    }
    const from = pts.length;
    pts.push(x[s]! + outOffset[e]!, y[s]! + height[s]! / 2);
    for (let k = chainStart[e]!; k < chainStart[e + 1]!; k++) {
      const d = chainNodes[k]!;
      const r = rank[d]!;
      pts.push(x[d]!, rankTop[r]!);
      if (rankHeight[r]! > 0) pts.push(x[d]!, rankTop[r]! + rankHeight[r]!);
    }
    pts.push(x[t]! + inOffset[e]!, y[t]! - height[t]! / 2);
    if (reversed[e]) reversePairs(pts, from);
  }
  edgeStart[E] = pts.length / 2;
  return { edgeStart, points: Float32Array.from(pts) };
}

function reversePairs(pts: number[], from: number): void {
  for (let i = from, j = pts.length - 2; i < j; i += 2, j -= 2) {
    const ax = pts[i]!;
    const ay = pts[i + 1]!;
    pts[i] = pts[j]!;
    pts[i + 1] = pts[j + 1]!;
    pts[j] = ax;
    pts[j + 1] = ay;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i < to; i++) out.push(i);
  else for (let i = from; i > to; i--) out.push(i);
  return out;
}
