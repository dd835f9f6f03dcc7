import { walkGraphs, normalizeDomain } from './graph-walk';
import { externalDataInfo } from './external-data';
import { longToNumber } from './long';
import type { OnnxModel } from './model';
import type { onnx } from './proto/onnx';
import type { ExternalDataRef, InspectResult, ValueSummary } from './report-types';
import { dataTypeName } from './tensor/dtypes';
import { describeType } from './types-text';
import type { TensorProto } from './onnx-types';


/**
 * The model overview: everything `ptp inspect --json` prints. Reads no tensor data.
 * Counts: `node_count` = main graph; `node_count_total` and `op_histogram` include all subgraphs
 * (If/Loop/Scan bodies, recursively; model-local function bodies are not counted); `initializer_count` and
 * `sparse_initializer_count` are the main graph's; `parameter_count` / `initializer_bytes` cover the
 * initializers of the main graph and its subgraphs (bytes as stored, external data included).
 */
export function inspect(model: OnnxModel): InspectResult {
  const p = model.proto;
  const g = p.graph ?? {};
  const initNames = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const opsets: Record<string, number> = {};
  for (const o of p.opsetImport ?? []) opsets[normalizeDomain(o.domain)] = longToNumber(o.version);

  const hist = new Map<string, number>();
  let total = 0;
  let subgraphs = 0;
  let params = 0;
  let bytes = 0;
  const external: ExternalDataRef[] = [];
  const countTensor = (t: TensorProto): void => {
    params += elementCount(t);
    bytes += storedBytes(model, t);
    if ((t.dataLocation ?? 0) === 1) {
      try {
        const e = externalDataInfo(t);
        external.push({ tensor: t.name ?? '', location: e.location, offset: e.offset, length: e.length });
      } catch {
        external.push({ tensor: t.name ?? '', location: '', offset: 0, length: null });
      }
    }
  };
  if (p.graph) {
    for (const v of walkGraphs(p.graph)) {
      if (v.depth > 0) subgraphs++;
      for (const n of v.graph.node ?? []) {
        total++;
        const key = `${normalizeDomain(n.domain)}::${n.opType ?? ''}`;
        hist.set(key, (hist.get(key) ?? 0) + 1);
      }
      for (const t of v.graph.initializer ?? []) countTensor(t);
      for (const s of v.graph.sparseInitializer ?? []) {
        if (s.values) countTensor(s.values);
        if (s.indices) bytes += storedBytes(model, s.indices);
      }
    }
  }
  const sortedHist = Object.fromEntries([...hist.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return {
    ir_version: longToNumber(p.irVersion),
    opset_import: opsets,
    producer_name: p.producerName ?? '',
    producer_version: p.producerVersion ?? '',
    model_version: longToNumber(p.modelVersion),
    doc_string: p.docString ?? '',
    graph_name: g.name ?? '',
    metadata_props: Object.fromEntries((p.metadataProps ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
    inputs: (g.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(summarizeValue),
    outputs: (g.output ?? []).map(summarizeValue),
    node_count: (g.node ?? []).length,
    node_count_total: total,
    subgraph_count: subgraphs,
    op_histogram: sortedHist,
    initializer_count: (g.initializer ?? []).length,
    sparse_initializer_count: (g.sparseInitializer ?? []).length,
    parameter_count: params,
    initializer_bytes: bytes,
    external_data: external,
    function_count: (p.functions ?? []).length,
  };
}

/** Name, kind, element type and shape of a graph input/output. */
export function summarizeValue(v: onnx.ValueInfoProto.$Properties): ValueSummary {
  const d = describeType(v.type ?? undefined);
  return { name: v.name ?? '', kind: d.kind, elem_type: d.elemType, shape: d.shape };
}

/** Elements a tensor declares (product of dims; a scalar has 1). */
export function elementCount(t: TensorProto): number {
  let n = 1;
  for (const d of t.dims ?? []) n *= longToNumber(d);
  return n;
}

/** Bytes a tensor's data takes as stored: raw/typed fields (known without reading them) or its external length. */
export function storedBytes(model: OnnxModel, t: TensorProto): number {
  if ((t.dataLocation ?? 0) === 1) {
    try {
      const e = externalDataInfo(t);
      if (e.length !== null) return e.length;
    } catch {
      return 0;
    }
  }
  const ref = model.lazyRef(t);
  if (ref) return ref.dataBytes;
  return (
    (t.rawData?.length ?? 0) +
    (t.floatData?.length ?? 0) * 4 +
    (t.int32Data?.length ?? 0) * 4 +
    (t.int64Data?.length ?? 0) * 8 +
    (t.doubleData?.length ?? 0) * 8 +
    (t.uint64Data?.length ?? 0) * 8 +
    (t.stringData ?? []).reduce((s, b) => s + b.length, 0)
  );
}

export { dataTypeName };
