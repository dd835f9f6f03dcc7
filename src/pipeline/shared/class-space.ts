/** Mapping labels from the data to the model's class indices, with the errors users need. */
import { DatasetError } from '../data';

export interface ClassSpace {
  /** Class names in index order. */
  readonly names: readonly string[];
  /** Label value (as text) → class index. */
  readonly index: ReadonlyMap<string, number>;
}

/**
 * The classes: declared labels (ZipMap / classifier attributes, image folder names) when known, else 0..K-1.
 * `k` is the width of the model's score output (null when the model only gives labels).
 */
export function classSpace(declared: readonly (string | number)[] | null | undefined, k: number | null, file: string): ClassSpace {
  if (declared && declared.length > 0) {
    if (k !== null && k !== declared.length && !(k === 2 && declared.length === 2)) {
      throw new DatasetError(file, 'unsupported', `the model declares ${declared.length} classes but its scores have ${k} columns`);
    }
    const names = declared.map(String);
    return { names, index: new Map(names.map((n, i) => [n, i])) };
  }
  if (k === null) throw new DatasetError(file, 'unsupported', 'the model gives neither class scores nor declared class labels');
  const names = Array.from({ length: k }, (_, i) => String(i));
  return { names, index: new Map(names.map((n, i) => [n, i])) };
}

/** Integer labels below this are mapped through a lookup table. */
const SMALL_LABELS = 1024;

/**
 * Class index of every label. Numeric labels must be integers naming a class; text labels must equal a
 * class name. The first offending row is reported (1-based data row) with the classes the model has.
 */
export function labelsToIndices(labels: Float64Array | readonly string[], space: ClassSpace, file: string, rowOffset: number): Int32Array {
  const out = new Int32Array(labels.length);
  // Small non-negative integer labels (the usual case): their class looked up once per value, not once per row.
  const small = new Int32Array(SMALL_LABELS).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (typeof v === 'number' && v >= 0 && v < SMALL_LABELS && (v | 0) === v) {
      let idx = small[v]!;
      if (idx < 0) idx = small[v] = space.index.get(String(v)) ?? -1;
      if (idx >= 0) {
        out[i] = idx;
        continue;
      }
    }
    if (typeof v === 'number' && Number.isNaN(v)) {
      throw new DatasetError(file, 'bad-label', `the label of data row ${rowOffset + i + 1} is empty or NaN`);
    }
    const key = typeof v === 'number' ? String(v) : v;
    const idx = space.index.get(key);
    if (idx === undefined) {
      const shown = space.names.length > 12 ? `${space.names.slice(0, 12).join(', ')}, …` : space.names.join(', ');
      throw new DatasetError(
        file,
        'bad-label',
        `label ${JSON.stringify(v)} of data row ${rowOffset + i + 1} is outside the model's class range: the model has ${space.names.length} classes (${shown})`,
      );
    }
    out[i] = idx;
  }
  return out;
}

/** The positive class index for binary metrics and fairness (name, index, or default 1). */
export function positiveIndex(space: ClassSpace, positive: string | number | undefined, file: string): number {
  if (positive === undefined) return space.names.length === 2 ? 1 : 0;
  const byName = space.index.get(String(positive));
  if (byName !== undefined) return byName;
  if (typeof positive === 'number' && Number.isInteger(positive) && positive >= 0 && positive < space.names.length) return positive;
  throw new DatasetError(file, 'invalid-option', `positive class ${JSON.stringify(positive)} is not one of the classes (${space.names.join(', ')})`);
}
