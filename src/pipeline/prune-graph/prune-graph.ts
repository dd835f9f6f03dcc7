/**
 * Pruning a model's main graph in memory: magnitude (per layer or global), N:M, or structured channel removal.
 * Weights are read one at a time from the source file (global magnitude holds one Float32Array of all selected
 * |w|); rewritten weights replace the originals in a GraphEditor copy, untouched initializers keep streaming from
 * the source when the result is written. The source model is never modified.
 *
 *   const outcome = await pruneGraph(model, { method: 'magnitude', sparsity: 0.5, scope: 'global', … });
 *   await writeModel(deriveModel(model, outcome.proto), out);
 */
import type { OnnxModel } from '../../core';
import type { onnx } from '../../core/proto/onnx';
import { loadShapeConstants } from '../../core/graph-view';
import { inferGraphTypes, type ConstValue, type InferResult } from '../../core/shape-inference';
import { DataType } from '../../core/tensor/dtypes';
import type { PruneMethod, PrunedLayer, PruneSkipped } from '../../protocol/prune';
import { dimsOf, GraphEditor, rawTensor } from '../shared/graph-editor';
import { readFloatWeight } from '../shared/weights';
import { throwIfAborted, type OperationContext } from '../operation';
import { PruneError } from './errors';
import { checkSettings, type PruneGraphSettings } from './graph-settings';
import { applyThreshold, countBelow, countZeros, pruneSmallest, selectKth } from './magnitude';
import { applyNm, nmIssue } from './nm';
import { analyzeChannels, type AnalysisInput, type ChannelAnalysis, type ChannelGroup } from './structured/analysis';
import { addChannelNorms, chooseChannels } from './structured/importance';
import { applyChannelPlans, type GroupPlan } from './structured/surgery';
import { elements, findTargets, outputAxis, reductionAxis, type PruneTarget } from './targets';

export { checkSettings, type PruneGraphSettings } from './graph-settings';

export interface PruneGraphOutcome {
  /** The rewritten model (untouched initializers still stream from the source). */
  readonly proto: onnx.ModelProto;
  readonly layers: PrunedLayer[];
  readonly skipped: PruneSkipped[];
  readonly notes: string[];
  readonly warnings: string[];
  /** As PruneResult.achieved_weight_sparsity defines it. */
  readonly achievedWeightSparsity: number;
}

/** Shared state of one run. */
interface Run {
  readonly model: OnnxModel;
  readonly ed: GraphEditor;
  readonly settings: PruneGraphSettings;
  readonly ctx: OperationContext;
  readonly notes: string[];
  readonly warnings: string[];
  /** structured: the graph's value_info after the rewrite. */
  valueInfo?: onnx.ValueInfoProto.$Properties[];
}

const METHOD_WORD: Record<PruneMethod, string> = { magnitude: 'with magnitude pruning', nm: 'with N:M pruning', structured: 'structurally' };

/** Names for a message: the first 20, then how many more. */
function nameList(names: readonly string[]): string {
  if (!names.length) return 'none';
  return names.length > 20 ? `${names.slice(0, 20).join(', ')} … (${names.length - 20} more)` : names.join(', ');
}

/** Checks that `layers` / `layer_sparsity` name nodes of the main graph (unknown `exclude` names only warn). */
function checkNames(run: Run, canList: () => string): void {
  const names = new Set(run.ed.nodes.map((n) => n.name ?? ''));
  const { layers, layer_sparsity: ls, exclude } = run.settings;
  for (const name of [...(layers ?? []), ...Object.keys(ls ?? {})]) {
    if (!names.has(name)) {
      throw new PruneError('bad-setting', `the model has no node named '${name}'. Layers that can be pruned ${METHOD_WORD[run.settings.method]}: ${canList()}`, run.model.file);
    }
  }
  for (const name of exclude) if (!names.has(name)) run.warnings.push(`exclude names '${name}', which is not a node of the model`);
  for (const name of layers ?? []) if (exclude.includes(name)) run.warnings.push(`'${name}' is both requested and excluded; it is left alone`);
}

/** Why a node that is not a pruning target cannot be pruned. */
function notTargetReason(run: Run, name: string, skipped: readonly PruneSkipped[]): string {
  const s = skipped.find((x) => x.node === name);
  if (s) return s.reason;
  const op = run.ed.nodes.find((n) => n.name === name)?.opType ?? '?';
  return `it is a ${op} node; pruning works on the weights of Conv, Gemm and MatMul nodes`;
}

/** Elements of a bias initializer (0 when absent or computed). */
function biasElements(run: Run, t: PruneTarget): number {
  const b = t.bias ? run.ed.initializers.get(t.bias) : undefined;
  return b ? elements(dimsOf(b)) : 0;
}

/**
 * The targets magnitude / N:M pruning works on: `layers` (each must be prunable) or every target, minus
 * `exclude`; targets with an `issue` (N:M: reduction length) go to `skipped` or, when requested by name, refuse.
 */
function selectUnstructured(run: Run, targets: PruneTarget[], skipped: PruneSkipped[], issue: (t: PruneTarget) => string | undefined): PruneTarget[] {
  const { layers, exclude, method } = run.settings;
  const can = () => nameList(targets.filter((t) => !issue(t)).map((t) => t.name));
  checkNames(run, can);
  const byName = new Map(targets.map((t) => [t.name, t]));
  const selected: PruneTarget[] = [];
  for (const name of layers ?? targets.map((t) => t.name)) {
    const t = byName.get(name);
    const why = t ? issue(t) : notTargetReason(run, name, skipped);
    if (why && layers) throw new PruneError('not-prunable', `'${name}' cannot be pruned ${METHOD_WORD[method]}: ${why}. Layers that can: ${can()}`, run.model.file);
    if (why) {
      skipped.push({ node: name, op_type: t!.opType, reason: why });
      continue;
    }
    if (!exclude.includes(name)) selected.push(t!);
  }
  if (!selected.length) {
    const reasons = skipped.slice(0, 5).map((s) => `'${s.node}': ${s.reason}`);
    throw new PruneError(
      'nothing-to-prune',
      `no layer can be pruned ${METHOD_WORD[method]}${reasons.length ? ` (${reasons.join('; ')})` : exclude.length ? ' (every prunable layer is excluded)' : ' (the model has no Conv, Gemm or MatMul with a float weight initializer)'}`,
      run.model.file,
    );
  }
  return selected;
}

/** Reads a weight as a private copy (never a view into the source). */
async function readCopy(run: Run, t: PruneTarget): Promise<Float32Array> {
  return Float32Array.from(await readFloatWeight(run.model, t.weight));
}

function writeWeight(run: Run, t: PruneTarget, w: Float32Array): void {
  run.ed.replaceInitializer(rawTensor(t.weight.name ?? '', DataType.FLOAT, t.dims, w));
}

function unstructuredLayer(run: Run, t: PruneTarget, zeros: number, status: PrunedLayer['status']): PrunedLayer {
  const params = t.size + biasElements(run, t);
  return { name: t.name, op_type: t.opType, weight: t.weight.name ?? '', sparsity: zeros / t.size, params_before: params, params_after: params, status };
}

/** The excluded targets, with the sparsity they already have. */
async function excludedLayers(run: Run, targets: readonly PruneTarget[]): Promise<PrunedLayer[]> {
  const out: PrunedLayer[] = [];
  for (const t of targets) {
    if (!run.settings.exclude.includes(t.name)) continue;
    out.push(unstructuredLayer(run, t, countZeros(await readFloatWeight(run.model, t.weight)), 'excluded'));
  }
  return out;
}

function progress(run: Run, message: string): void {
  throwIfAborted(run.ctx.signal);
  run.ctx.onProgress?.({ message });
}

async function magnitude(run: Run, selected: PruneTarget[]): Promise<{ layers: PrunedLayer[]; zeros: number; total: number }> {
  const { sparsity, scope, layer_sparsity: ls } = run.settings;
  const own = scope === 'layer' ? selected : selected.filter((t) => ls?.[t.name] !== undefined);
  const pooled = scope === 'layer' ? [] : selected.filter((t) => ls?.[t.name] === undefined);
  if (scope === 'global' && own.length) {
    run.warnings.push(`layer_sparsity applies per layer: ${own.map((t) => t.name).join(', ')} pruned on their own, the other layers share one global threshold`);
  }
  const result = new Map<PruneTarget, number>();
  for (const t of own) {
    progress(run, `Pruning ${t.name}`);
    const w = await readCopy(run, t);
    pruneSmallest(w, Math.round((ls?.[t.name] ?? sparsity) * t.size));
    writeWeight(run, t, w);
    result.set(t, countZeros(w));
  }
  if (pooled.length) {
    const total = pooled.reduce((s, t) => s + t.size, 0);
    const count = Math.round(sparsity * total);
    let threshold = -1;
    let ties = 0;
    if (count > 0) {
      const mags = new Float32Array(total);
      let o = 0;
      for (const t of pooled) {
        progress(run, `Reading ${t.name}`);
        const w = await readFloatWeight(run.model, t.weight);
        for (let i = 0; i < w.length; i++) mags[o++] = Math.abs(w[i]!);
      }
      threshold = selectKth(mags, count - 1);
      ties = count - countBelow(mags, threshold);
      run.notes.push(`global threshold: weights with |w| below ${threshold.toPrecision(4)} set to 0 (${count} of ${total} weights)`);
    }
    for (const t of pooled) {
      progress(run, `Pruning ${t.name}`);
      const w = await readCopy(run, t);
      if (count > 0) ties -= applyThreshold(w, threshold, ties);
      writeWeight(run, t, w);
      result.set(t, countZeros(w));
    }
  }
  const layers = selected.map((t) => unstructuredLayer(run, t, result.get(t)!, 'pruned'));
  return { layers, zeros: [...result.values()].reduce((a, b) => a + b, 0), total: selected.reduce((s, t) => s + t.size, 0) };
}

async function nm(run: Run, selected: PruneTarget[]): Promise<{ layers: PrunedLayer[]; zeros: number; total: number }> {
  const { n, m } = run.settings;
  const layers: PrunedLayer[] = [];
  let zeros = 0;
  for (const t of selected) {
    progress(run, `Pruning ${t.name} (${n}:${m})`);
    const w = await readCopy(run, t);
    applyNm(w, t.dims, reductionAxis(t), n, m);
    writeWeight(run, t, w);
    const z = countZeros(w);
    zeros += z;
    layers.push(unstructuredLayer(run, t, z, 'pruned'));
  }
  run.notes.push(`${n}:${m} pattern along the reduction (input-channel) axis of every pruned weight`);
  return { layers, zeros, total: selected.reduce((s, t) => s + t.size, 0) };
}

/** Shapes and small known values of the main graph's tensors; `constants` = small initializers' values. */
function inferTypes(proto: onnx.ModelProto, constants?: ReadonlyMap<string, ConstValue>): InferResult {
  try {
    return inferGraphTypes(proto.graph ?? {}, proto.opsetImport ?? [], undefined, { functions: proto.functions ?? [], ...(constants ? { constants } : {}) });
  } catch {
    return { types: new Map(), values: new Map() };
  }
}

/** Channel analysis input: shapes, and the small integer values that cannot change at run time. */
function analysisInput(ed: GraphEditor, targets: PruneTarget[], excluded: readonly string[], inferred: InferResult): AnalysisInput {
  const values = new Map<string, ConstValue>();
  for (const [name, v] of inferred.values) {
    // An initializer that is also a graph input may be fed at run time: its stored value proves nothing.
    if (!(ed.initializers.has(name) && ed.graphInputs.has(name))) values.set(name, v);
  }
  return { ed, targets, types: inferred.types, excluded: new Set(excluded), values };
}

/** The channel analysis of a model (structured pruning) with `excluded` nodes not opening channel spaces. */
async function analyze(run: Run, targets: PruneTarget[], excluded: readonly string[]): Promise<ChannelAnalysis> {
  const inferred = inferTypes(run.model.proto, await loadShapeConstants(run.model));
  return analyzeChannels(analysisInput(run.ed, targets, excluded, inferred));
}

/** "conv1", or "conv2 (with conv3: residual)" for a group of several producers. */
function groupLabel(g: ChannelGroup): string {
  const [first, ...rest] = g.producers.map((p) => p.name);
  return rest.length ? `${first} (with ${rest.join(', ')}: residual)` : first!;
}

/** Why a node that opens no channel space cannot be pruned structurally. */
function notProducerReason(run: Run, name: string, targets: readonly PruneTarget[], skipped: readonly PruneSkipped[]): string {
  const t = targets.find((x) => x.name === name);
  if (!t) return notTargetReason(run, name, skipped);
  if (run.settings.exclude.includes(name)) return 'it is excluded';
  if (t.opType === 'Conv') return `it is a grouped Conv (group ${t.group}); its channels can only follow a pruned layer before it`;
  return 'it transposes its input (transA), so its output neurons are not rows of its weight';
}

async function structured(run: Run, targets: PruneTarget[], skipped: PruneSkipped[]): Promise<{ layers: PrunedLayer[]; removed: number; before: number }> {
  const { layers: requested, exclude, layer_sparsity: ls, sparsity, criterion, round_to: roundTo } = run.settings;
  const analysis = await analyze(run, targets, exclude);
  const open = analysis.groups.filter((g) => !g.blockers.length);
  const can = () => nameList(open.map(groupLabel));
  checkNames(run, can);

  let chosen: ChannelGroup[];
  if (requested) {
    chosen = [];
    for (const name of requested) {
      const t = targets.find((x) => x.name === name);
      const g = t ? analysis.groupOf.get(t.index) : undefined;
      const why = !g ? notProducerReason(run, name, targets, skipped) : g.blockers.length ? g.blockers.join('; ') : undefined;
      if (why) throw new PruneError('not-prunable', `'${name}' cannot be pruned structurally: ${why}. Layers that can: ${can()}`, run.model.file);
      if (!chosen.includes(g!)) chosen.push(g!);
    }
  } else chosen = open;
  for (const g of analysis.groups) {
    if (!g.blockers.length) continue;
    for (const p of g.producers) skipped.push({ node: p.name, op_type: p.opType, reason: g.blockers.join('; ') });
  }
  if (!chosen.length) {
    const reasons = skipped.slice(0, 5).map((s) => `'${s.node}': ${s.reason}`);
    throw new PruneError(
      'nothing-to-prune',
      `no layer can be pruned structurally${reasons.length ? ` (${reasons.join('; ')})` : ' (the model has no Conv, Gemm or MatMul with a float weight initializer)'}`,
      run.model.file,
    );
  }

  const plans: GroupPlan[] = [];
  for (const g of chosen) {
    progress(run, `Ranking the channels of ${groupLabel(g)}`);
    const own = [...new Set(g.producers.map((p) => ls?.[p.name]).filter((v): v is number => v !== undefined))];
    if (own.length > 1) run.warnings.push(`${groupLabel(g)} share their channels but have different layer_sparsity; the smallest (${Math.min(...own)}) is used`);
    const s = own.length ? Math.min(...own) : sparsity;
    const norms = new Float64Array(g.channels);
    for (const p of g.producers) {
      const w = await readFloatWeight(run.model, p.weight);
      addChannelNorms(norms, w, p.dims, outputAxis(p), criterion);
    }
    const keep = chooseChannels(norms, s, roundTo);
    if (keep.length === g.channels) {
      run.notes.push(`${groupLabel(g)}: removing ${Math.round(s * 100)}% of ${g.channels} channels rounds to none; left unchanged`);
      continue;
    }
    plans.push({ group: g, keep });
  }
  const surgery = await applyChannelPlans(run.model, run.ed, plans, run.ctx);
  run.valueInfo = surgery.valueInfo;

  const layers: PrunedLayer[] = [];
  const listed = new Set<number>();
  let removed = 0;
  let before = 0;
  const entry = (index: number, groupId: number | undefined, channels: [number, number] | undefined, status: PrunedLayer['status']) => {
    const t = targets.find((x) => x.index === index)!;
    const w = surgery.rewritten.get(`${index}:1`);
    const b = surgery.rewritten.get(`${index}:2`);
    const wAfter = w ? elements(w.dims) : t.size;
    const bBefore = biasElements(run, t);
    const bAfter = b ? elements(b.dims) : bBefore;
    removed += t.size - wAfter;
    before += t.size;
    listed.add(index);
    layers.push({
      name: t.name,
      op_type: t.opType,
      weight: t.weight.name ?? '',
      sparsity: status === 'pruned' && w ? w.zeros / Math.max(1, wAfter) : 0,
      params_before: t.size + bBefore,
      params_after: wAfter + bAfter,
      ...(channels ? { channels_before: channels[0], channels_after: channels[1] } : {}),
      ...(groupId !== undefined ? { group: groupId } : {}),
      status,
    });
  };
  plans.forEach((p, k) => {
    for (const t of p.group.producers) entry(t.index, k + 1, [p.group.channels, p.keep.length], 'pruned');
  });
  plans.forEach((p, k) => {
    for (const i of p.group.depthwise) if (!listed.has(i)) entry(i, k + 1, [p.group.channels, p.keep.length], 'shrunk');
  });
  plans.forEach((p) => {
    for (const i of p.group.consumers) if (!listed.has(i)) entry(i, undefined, undefined, 'shrunk');
  });
  run.notes.push(`${plans.length} channel group${plans.length === 1 ? '' : 's'} pruned by ${criterion.toUpperCase()} norm`);
  return { layers, removed, before };
}

/** Prunes the model's main graph as `settings` say; the source model is not modified. */
export async function pruneGraph(model: OnnxModel, settings: PruneGraphSettings, ctx: OperationContext = {}): Promise<PruneGraphOutcome> {
  checkSettings(settings);
  const ed = new GraphEditor(model.proto);
  const run: Run = { model, ed, settings, ctx, notes: [], warnings: [] };
  const { targets, skipped } = findTargets(ed);
  let layers: PrunedLayer[];
  let achieved: number;
  if (settings.method === 'structured') {
    const r = await structured(run, targets, skipped);
    layers = [...r.layers, ...(await excludedLayers(run, targets))];
    achieved = r.before ? r.removed / r.before : 0;
  } else {
    const issue = settings.method === 'nm' ? (t: PruneTarget) => nmIssue(t.dims, reductionAxis(t), settings.m) : () => undefined;
    const selected = selectUnstructured(run, targets, skipped, issue);
    const r = settings.method === 'nm' ? await nm(run, selected) : await magnitude(run, selected);
    layers = [...r.layers, ...(await excludedLayers(run, targets))];
    achieved = r.total ? r.zeros / r.total : 0;
  }
  const proto = ed.build(run.valueInfo ? { valueInfo: run.valueInfo } : {});
  return { proto, layers, skipped, notes: run.notes, warnings: run.warnings, achievedWeightSparsity: achieved };
}

/**
 * The layers `method` could prune in this model (name, op_type, params = weight elements) and why others cannot.
 * N:M is judged for the default 2:4 pattern; structured lists the producers of the channel groups that can be
 * pruned (a residual group lists every producer). Being synchronous, it reads no initializer: a Reshape whose
 * target shape is stored in an initializer counts as unprovable here, while pruneGraph (which reads it) may follow it.
 */
export function listPrunable(model: OnnxModel, method: PruneMethod): { layers: { name: string; op_type: string; params: number }[]; skipped: PruneSkipped[] } {
  const ed = new GraphEditor(model.proto);
  const { targets, skipped } = findTargets(ed);
  const row = (t: PruneTarget) => ({ name: t.name, op_type: t.opType, params: t.size });
  if (method === 'magnitude') return { layers: targets.map(row), skipped };
  if (method === 'nm') {
    const layers = [];
    for (const t of targets) {
      const why = nmIssue(t.dims, reductionAxis(t), 4);
      if (why) skipped.push({ node: t.name, op_type: t.opType, reason: why });
      else layers.push(row(t));
    }
    return { layers, skipped };
  }
  // Without reading initializers (this is synchronous), Reshape shapes held in initializers stay unknown.
  const analysis = analyzeChannels(analysisInput(ed, targets, [], inferTypes(model.proto)));
  const layers = [];
  for (const g of analysis.groups) {
    for (const p of g.producers) {
      if (g.blockers.length) skipped.push({ node: p.name, op_type: p.opType, reason: g.blockers.join('; ') });
      else layers.push(row(p));
    }
  }
  return { layers, skipped };
}
