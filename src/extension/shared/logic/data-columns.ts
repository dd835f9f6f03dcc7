/**
 * What the column pickers of Evaluate Model… offer: a data set's columns, the label the pipeline would pick on
 * its own, the columns that look like groups (sensitive attributes) and like ids. Reads only the header and the
 * first rows (openDataset is cheap); the data layer is imported on first use so activation stays light.
 * No vscode.
 */
import type { ColumnKind, DatasetSource } from '../../../pipeline/data';

/** The pipeline's label names, in its order of preference (src/pipeline/data/plan.ts, planFeatures). */
const LABEL_NAMES = ['label', 'labels', 'target', 'targets', 'y', 'class'];
/** Id-like names the pipeline does not set aside on its own (it does: id, index, row_id, sample_id …). */
const ID_LIKE = /(^|[_\s.-])(id|uuid|guid|key)$/i;
const PIPELINE_ID = /^(id|index|idx|row_?id|row_?index|row_?num(ber)?|sample_?id|unnamed: ?\d+|__index_level_\d+__)$/i;
/** Most distinct values (in the first rows) a column may have to be offered as a sensitive attribute. */
const MAX_GROUPS = 50;
const SAMPLE_ROWS = 2000;

export interface DataColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Distinct values among the first rows (number/text columns); undefined for tensors. */
  readonly distinct?: number;
  /** A few of those values, for descriptions. */
  readonly examples?: readonly string[];
}

export interface DataColumns {
  readonly file: string;
  readonly format: string;
  readonly columns: readonly DataColumn[];
  /** Rows looked at for `distinct`. */
  readonly sampledRows: number;
  /** The label column the pipeline auto-detects, if any. */
  readonly detectedLabel: string | null;
}

type DataModule = typeof import('../../../pipeline/data');
let dataModule: Promise<DataModule> | undefined;

function loadData(): Promise<DataModule> {
  dataModule ??= import('../../../pipeline/data');
  return dataModule;
}

export function detectLabel(columns: readonly string[]): string | null {
  for (const want of LABEL_NAMES) {
    const hit = columns.find((c) => c.trim().toLowerCase() === want);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Opens the data set and summarises its columns. Throws the data layer's DatasetError. */
export async function readDataColumns(file: string): Promise<DataColumns> {
  const { openDataset } = await loadData();
  return summarizeColumns(await openDataset(file));
}

/** The columns of an opened data set, with the distinct values of its first rows counted. */
export async function summarizeColumns(source: DatasetSource): Promise<DataColumns> {
  const seen = new Map<string, Set<string>>();
  for (const c of source.columns) if (source.kinds.get(c) !== 'tensor') seen.set(c, new Set());
  let sampledRows = 0;
  if (seen.size > 0 && source.format !== 'images') {
    for await (const batch of source.batches(SAMPLE_ROWS)) {
      for (const [name, values] of batch.columns) {
        const set = seen.get(name);
        if (!set) continue;
        for (let i = 0; i < batch.rowCount && set.size <= MAX_GROUPS; i++) set.add(String(values[i]));
      }
      sampledRows = batch.rowCount;
      break;
    }
  }
  return {
    file: source.file,
    format: source.format,
    sampledRows,
    detectedLabel: detectLabel(source.columns),
    columns: source.columns.map((name) => {
      const set = seen.get(name);
      const kind = source.kinds.get(name) ?? 'number';
      return set && sampledRows > 0 ? { name, kind, distinct: set.size, examples: [...set].slice(0, 4) } : { name, kind };
    }),
  };
}

/** Columns worth offering as sensitive attributes: few distinct values (text first), never the label. */
export function groupColumns(data: DataColumns, label: string | null): DataColumn[] {
  return data.columns
    .filter((c) => c.name !== label && c.kind !== 'tensor' && c.distinct !== undefined && c.distinct >= 2 && c.distinct <= MAX_GROUPS)
    .sort((a, b) => Number(b.kind === 'text') - Number(a.kind === 'text') || (a.distinct ?? 0) - (b.distinct ?? 0));
}

/** Columns that look like ids the pipeline would otherwise feed to the model (e.g. `applicant_id`). */
export function idLikeColumns(data: DataColumns, label: string | null): DataColumn[] {
  return data.columns.filter((c) => c.name !== label && c.kind !== 'tensor' && ID_LIKE.test(c.name.trim()) && !PIPELINE_ID.test(c.name.trim()));
}

/** "2 values: F, M" / "17+ values". */
export function describeValues(c: DataColumn): string {
  if (c.distinct === undefined) return c.kind;
  const list = c.examples?.length ? `: ${c.examples.join(', ')}${c.distinct > c.examples.length ? ', …' : ''}` : '';
  return c.distinct > MAX_GROUPS ? `${c.kind}, ${MAX_GROUPS}+ values` : `${c.kind}, ${c.distinct} ${c.distinct === 1 ? 'value' : 'values'}${list}`;
}
