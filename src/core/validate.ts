import { promises as fsp } from 'node:fs';
import { externalDataInfo, resolveExternalPath } from './external-data';
import { normalizeDomain, walkGraphs, type GraphVisit } from './graph-walk';
import { longToNumber } from './long';
import type { OnnxModel } from './model';
import type { Finding, ValidateResult } from './report-types';
import { dataTypeName, rawByteLength } from './tensor/dtypes';
import { describeType } from './types-text';
import { elementCount } from './inspect';
import type { Graph, TensorProto } from './onnx-types';


/** Newest IR version this build knows (ONNX 1.20). */
export const MAX_KNOWN_IR_VERSION = 13;

/**
 * Structural checks of a model (no onnxruntime): IR/opset sanity, topological order, every node input
 * defined, SSA (unique outputs), duplicate names, opset coverage of used domains, initializer data vs
 * declared type/shape, initializer vs graph-input types, external data files present, inside the model's
 * folder and large enough. Subgraphs see the names of their enclosing graphs; functions are checked too.
 */
export async function validate(model: OnnxModel): Promise<ValidateResult> {
  const findings: Finding[] = [];
  const add = (f: Finding): void => void findings.push(f);
  const p = model.proto;

  const ir = longToNumber(p.irVersion);
  if (ir <= 0) add({ severity: 'error', code: 'missing-ir-version', message: 'ir_version is missing; every ONNX model must declare it' });
  else if (ir > MAX_KNOWN_IR_VERSION) {
    add({ severity: 'warning', code: 'newer-ir-version', message: `ir_version ${ir} is newer than this tool knows (${MAX_KNOWN_IR_VERSION}); unknown fields are kept but not checked` });
  }

  const opsets = new Map<string, number>();
  for (const o of p.opsetImport ?? []) {
    const d = normalizeDomain(o.domain);
    if (opsets.has(d)) add({ severity: 'error', code: 'duplicate-opset', message: `opset_import lists domain '${d}' more than once` });
    opsets.set(d, longToNumber(o.version));
  }
  if (ir >= 3 && opsets.size === 0) add({ severity: 'error', code: 'missing-opset', message: 'opset_import is empty; the model must import at least the default ONNX domain' });

  if (!p.graph) {
    add({ severity: 'error', code: 'missing-graph', message: 'the model has no graph' });
  } else {
    const missingDomains = new Map<string, string>();
    for (const v of walkGraphs(p.graph)) {
      checkGraph(v, add);
      for (const n of v.graph.node ?? []) {
        const d = normalizeDomain(n.domain);
        if (!opsets.has(d) && !missingDomains.has(d)) missingDomains.set(d, n.name || n.opType || '');
        if (!n.opType) add({ severity: 'error', code: 'missing-op-type', message: 'a node has no op_type', graph: v.path, node: n.name ?? undefined });
      }
      await checkInitializers(model, v, add);
    }
    for (const [d, node] of missingDomains) {
      add({ severity: 'error', code: 'missing-opset', message: `domain '${d}' is used (e.g. by node '${node}') but not imported in opset_import`, node });
    }
    const graphOutputsOk = new Set((p.graph.output ?? []).map((o) => o.name ?? ''));
    if (graphOutputsOk.size === 0) add({ severity: 'error', code: 'no-outputs', message: 'the main graph declares no outputs', graph: 'main' });
  }

  for (const f of p.functions ?? []) {
    const path = `function:${normalizeDomain(f.domain)}/${f.name ?? ''}`;
    const fnGraph: Graph = { node: f.node, input: (f.input ?? []).map((name) => ({ name })), output: (f.output ?? []).map((name) => ({ name })) };
    checkGraph({ graph: fnGraph, path, depth: 0 }, add);
    const fOpsets = new Set((f.opsetImport ?? []).map((o) => normalizeDomain(o.domain)));
    for (const n of f.node ?? []) {
      const d = normalizeDomain(n.domain);
      if (!fOpsets.has(d) && !opsets.has(d)) {
        add({ severity: 'error', code: 'missing-opset', message: `function ${path} uses domain '${d}' without importing it`, graph: path, node: n.name ?? undefined });
      }
    }
  }

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return { valid: errors === 0, errors, warnings, findings };
}

/** Names visible inside `v` from its enclosing graphs (inputs, initializers and node outputs). */
function outerNames(v: GraphVisit): Set<string> {
  const names = new Set<string>();
  for (let p = v.parent; p; p = p.parent) {
    for (const i of p.graph.input ?? []) names.add(i.name ?? '');
    for (const t of p.graph.initializer ?? []) names.add(t.name ?? '');
    for (const s of p.graph.sparseInitializer ?? []) names.add(s.values?.name ?? '');
    for (const n of p.graph.node ?? []) for (const o of n.output ?? []) if (o) names.add(o);
  }
  return names;
}

function checkGraph(v: GraphVisit, add: (f: Finding) => void): void {
  const g = v.graph;
  const graph = v.path;
  const defined = new Set<string>();
  const seenInputs = new Set<string>();
  for (const i of g.input ?? []) {
    const name = i.name ?? '';
    if (seenInputs.has(name)) add({ severity: 'error', code: 'duplicate-name', message: `graph input '${name}' is declared twice`, graph, tensor: name });
    seenInputs.add(name);
    defined.add(name);
    if (!i.type && v.depth === 0 && !graph.startsWith('function:')) {
      add({ severity: 'warning', code: 'untyped-input', message: `graph input '${name}' has no type`, graph, tensor: name });
    }
  }
  const initNames = new Set<string>();
  for (const t of [...(g.initializer ?? []), ...(g.sparseInitializer ?? []).map((s) => s.values ?? {})]) {
    const name = t.name ?? '';
    if (initNames.has(name)) add({ severity: 'error', code: 'duplicate-name', message: `initializer '${name}' is defined twice`, graph, tensor: name });
    initNames.add(name);
    defined.add(name);
  }
  const outer = v.depth > 0 ? outerNames(v) : new Set<string>();
  const producedAt = new Map<string, number>();
  (g.node ?? []).forEach((n, i) => {
    for (const o of n.output ?? []) if (o && !producedAt.has(o)) producedAt.set(o, i);
  });
  const nodeNames = new Set<string>();
  const outputs = new Set<string>();
  (g.node ?? []).forEach((n, i) => {
    const nodeName = n.name || `${n.opType ?? 'node'}_${i}`;
    if (n.name) {
      if (nodeNames.has(n.name)) add({ severity: 'warning', code: 'duplicate-node-name', message: `node name '${n.name}' is used by more than one node`, graph, node: n.name });
      nodeNames.add(n.name);
    }
    for (const inp of n.input ?? []) {
      if (!inp || defined.has(inp) || outer.has(inp)) continue;
      const at = producedAt.get(inp);
      if (at !== undefined && at >= i) {
        add({ severity: 'error', code: 'topological-order', message: `node '${nodeName}' uses '${inp}' before node #${at} produces it (nodes are not in topological order)`, graph, node: nodeName, tensor: inp });
      } else {
        add({ severity: 'error', code: 'undefined-input', message: `node '${nodeName}' input '${inp}' is not a graph input, an initializer or any node's output`, graph, node: nodeName, tensor: inp });
      }
    }
    for (const o of n.output ?? []) {
      if (!o) continue;
      if (outputs.has(o) || seenInputs.has(o) || initNames.has(o)) {
        add({ severity: 'error', code: 'duplicate-output', message: `tensor '${o}' is produced more than once (node '${nodeName}'); ONNX graphs are single-assignment`, graph, node: nodeName, tensor: o });
      }
      outputs.add(o);
      defined.add(o);
    }
  });
  for (const o of g.output ?? []) {
    const name = o.name ?? '';
    if (!defined.has(name) && !outer.has(name)) {
      add({ severity: 'error', code: 'undefined-output', message: `graph output '${name}' is not produced by any node, input or initializer`, graph, tensor: name });
    }
  }
}

async function checkInitializers(model: OnnxModel, v: GraphVisit, add: (f: Finding) => void): Promise<void> {
  const graph = v.path;
  const declared = new Map((v.graph.input ?? []).map((i) => [i.name ?? '', i] as const));
  for (const t of v.graph.initializer ?? []) {
    const name = t.name ?? '';
    checkTensorData(model, t, graph, add);
    await checkExternal(model, t, graph, add);
    const decl = declared.get(name);
    if (decl?.type?.tensorType) {
      const d = describeType(decl.type);
      const elem = dataTypeName(t.dataType ?? 0);
      if (d.elemType && d.elemType !== elem) {
        add({ severity: 'error', code: 'initializer-type-mismatch', message: `initializer '${name}' is ${elem} but graph input '${name}' declares ${d.elemType}`, graph, tensor: name });
      }
      const dims = (t.dims ?? []).map((x) => longToNumber(x));
      if (d.shape) {
        const mismatch = d.shape.length !== dims.length || d.shape.some((s, i) => typeof s === 'number' && s !== dims[i]);
        if (mismatch) {
          add({ severity: 'error', code: 'initializer-shape-mismatch', message: `initializer '${name}' has shape [${dims.join(',')}] but graph input '${name}' declares [${d.shape.map((s) => s ?? '?').join(',')}]`, graph, tensor: name });
        }
      }
    }
  }
}

function checkTensorData(model: OnnxModel, t: TensorProto, graph: string, add: (f: Finding) => void): void {
  const name = t.name ?? '';
  const dt = t.dataType ?? 0;
  if (dt === 0) {
    add({ severity: 'error', code: 'tensor-type', message: `initializer '${name}' has no data_type`, graph, tensor: name });
    return;
  }
  for (const d of t.dims ?? []) {
    if (longToNumber(d) < 0) {
      add({ severity: 'error', code: 'tensor-shape', message: `initializer '${name}' has a negative dimension`, graph, tensor: name });
      return;
    }
  }
  if ((t.dataLocation ?? 0) === 1) return;
  const ref = model.lazyRef(t);
  const rawLen = ref ? ref.rawDataLength : t.rawData && t.rawData.length > 0 ? t.rawData.length : undefined;
  if (rawLen !== undefined) {
    const expected = rawByteLength(dt, elementCount(t));
    if (expected >= 0 && expected !== rawLen) {
      add({ severity: 'error', code: 'tensor-data-size', message: `initializer '${name}' declares ${elementCount(t)} ${dataTypeName(dt)} elements (${expected} bytes) but its raw_data holds ${rawLen} bytes`, graph, tensor: name });
    }
  } else if (elementCount(t) > 0 && (ref ? ref.dataBytes === 0 : !hasTypedData(t))) {
    add({ severity: 'error', code: 'tensor-data-missing', message: `initializer '${name}' declares ${elementCount(t)} elements but holds no data`, graph, tensor: name });
  }
}

function hasTypedData(t: TensorProto): boolean {
  return [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data, t.stringData].some((a) => (a?.length ?? 0) > 0);
}

async function checkExternal(model: OnnxModel, t: TensorProto, graph: string, add: (f: Finding) => void): Promise<void> {
  if ((t.dataLocation ?? 0) !== 1) return;
  const name = t.name ?? '';
  if (!model.dir) {
    add({ severity: 'error', code: 'external-data', message: `initializer '${name}' uses external data but the model is not a file on disk`, graph, tensor: name });
    return;
  }
  try {
    const info = externalDataInfo(t);
    const file = resolveExternalPath(info.location, model.dir, undefined, name);
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch {
      add({ severity: 'error', code: 'external-data-missing', message: `initializer '${name}': external data file '${info.location}' does not exist next to the model`, graph, tensor: name });
      return;
    }
    const need = info.offset + (info.length ?? 0);
    if (size < need) {
      add({ severity: 'error', code: 'external-data-short', message: `initializer '${name}': external data file '${info.location}' is ${size} bytes but offset ${info.offset} + length ${info.length ?? 0} needs ${need}`, graph, tensor: name });
    }
    const expected = rawByteLength(t.dataType ?? 0, elementCount(t));
    if (info.length !== null && expected >= 0 && expected !== info.length) {
      add({ severity: 'error', code: 'tensor-data-size', message: `initializer '${name}' declares ${expected} bytes of data but its external length is ${info.length}`, graph, tensor: name });
    }
  } catch (e) {
    add({ severity: 'error', code: 'external-data-path', message: e instanceof Error ? e.message : String(e), graph, tensor: name });
  }
}
