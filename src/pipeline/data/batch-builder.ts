/** Fills the column arrays of one batch row by row (text formats), then hands them over as a DataBatch. */
import type { ColumnKind, DataBatch, TensorBatch } from './types';

export class BatchBuilder {
  /** Number columns by position (undefined for other kinds). */
  num: (Float64Array | undefined)[] = [];
  /** Text columns by position (undefined for other kinds). */
  text: (string[] | undefined)[] = [];
  /** Tensor columns by position (row-major values; undefined for other kinds). */
  tensor: (Float64Array | undefined)[] = [];
  lines: Uint32Array;
  /** Rows filled so far. */
  n = 0;
  private startRow = 0;
  private readonly tensorSizes: number[];

  constructor(
    private readonly names: readonly string[],
    private readonly kinds: readonly ColumnKind[],
    readonly capacity: number,
    private readonly tensorShapes: readonly (readonly number[] | undefined)[] = [],
    /** Whether rows carry file line numbers (text formats). */
    private readonly withLines = true,
  ) {
    this.tensorSizes = kinds.map((_, j) => (tensorShapes[j] ?? []).reduce((a, b) => a * b, 1));
    this.lines = new Uint32Array(capacity);
    this.allocate();
  }

  private allocate(): void {
    const c = this.capacity;
    this.num = this.kinds.map((k) => (k === 'number' ? new Float64Array(c) : undefined));
    this.text = this.kinds.map((k) => (k === 'text' ? new Array<string>(c) : undefined));
    this.tensor = this.kinds.map((k, j) => (k === 'tensor' ? new Float64Array(c * this.tensorSizes[j]) : undefined));
    this.lines = new Uint32Array(c);
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  /** The rows filled so far as a batch (arrays trimmed to the row count); starts a fresh batch. */
  take(): DataBatch {
    const n = this.n;
    const columns = new Map<string, Float64Array | string[]>();
    let tensors: Map<string, TensorBatch> | undefined;
    for (let j = 0; j < this.names.length; j++) {
      const num = this.num[j];
      const text = this.text[j];
      const t = this.tensor[j];
      if (num) columns.set(this.names[j], n === this.capacity ? num : num.subarray(0, n));
      else if (text) columns.set(this.names[j], n === this.capacity ? text : text.slice(0, n));
      else if (t) {
        tensors ??= new Map();
        tensors.set(this.names[j], { shape: this.tensorShapes[j] ?? [], data: t.subarray(0, n * this.tensorSizes[j]) });
      }
    }
    const batch: DataBatch = {
      startRow: this.startRow,
      rowCount: n,
      columns,
      ...(tensors ? { tensors } : {}),
      ...(this.withLines ? { lines: n === this.capacity ? this.lines : this.lines.subarray(0, n) } : {}),
    };
    this.startRow += n;
    this.n = 0;
    this.allocate();
    return batch;
  }
}
