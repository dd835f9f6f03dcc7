/** Shapes of the data layer: a data set opened for streaming, and the batches it yields. */
import type { OperationContext } from '../operation';

export type DatasetFormat = 'csv' | 'tsv' | 'npy' | 'npz' | 'jsonl' | 'parquet' | 'images';

/** `number`: a Float64Array per batch (NaN where empty); `text`: a string[]; `tensor`: fixed-shape values per row. */
export type ColumnKind = 'number' | 'text' | 'tensor';

/** How an image folder is turned into tensors. */
export interface ImageOptions {
  readonly width: number;
  readonly height: number;
  /** 1: grayscale (ITU-R 601-2 luma, as PIL's `convert('L')`); 3: RGB (alpha dropped, gray replicated). */
  readonly channels: 1 | 3;
  /** Multiplied into the 0..255 pixel value before normalising (default 1/255). */
  readonly scale?: number;
  /** Per channel (or one value for all), subtracted after scaling (default 0). */
  readonly mean?: readonly number[];
  /** Per channel (or one value for all), divided by after subtracting the mean (default 1). */
  readonly std?: readonly number[];
  /** Per-row tensor layout: NCHW → [C,H,W] (default), NHWC → [H,W,C]. */
  readonly layout?: 'NCHW' | 'NHWC';
}

export interface OpenDatasetOptions {
  /** Default: from the extension, else sniffed from the first bytes; a folder is an image folder. */
  readonly format?: DatasetFormat;
  /** CSV/TSV field separator (default: `,` for CSV, tab for TSV; sniffed from the header when the format was). */
  readonly delimiter?: string;
  /** Image folders: size, channels and normalisation (default: first image's size, RGB, scale 1/255, NCHW). */
  readonly image?: ImageOptions;
  /** Rows read at open to decide which columns are numeric (default 1000). */
  readonly sampleRows?: number;
}

/** Values of one tensor column for the rows of a batch: row-major, `rowCount × product(shape)` values. */
export interface TensorBatch {
  /** Per-row shape (without the row dimension). */
  readonly shape: readonly number[];
  /** Float32Array for float32/float16/8- and 16-bit sources (exact); Float64Array for float64/32- and 64-bit integers. */
  readonly data: Float32Array | Float64Array;
}

/** A run of consecutive rows, column-major. */
export interface DataBatch {
  /** 0-based index of the batch's first data row in the data set. */
  readonly startRow: number;
  readonly rowCount: number;
  /** Every number/text column of the data set, `rowCount` values each (NaN / '' where a cell is empty). */
  readonly columns: ReadonlyMap<string, Float64Array | string[]>;
  /** Every tensor column (NPY/NPZ arrays of rank ≥ 2, images, JSONL/Parquet lists). */
  readonly tensors?: ReadonlyMap<string, TensorBatch>;
  /** Text formats (CSV/TSV/JSONL): the 1-based file line each row ends on (the header is line 1). */
  readonly lines?: Uint32Array;
  /** Image folders: each row's image file, relative to the folder. */
  readonly rowFiles?: readonly string[];
}

/** What `planFeatures` needs to know about a data set's columns (a DatasetSource is one). */
export interface DatasetSchema {
  /** Used in error messages. */
  readonly file?: string;
  /** Every column in file order, tensor columns included. */
  readonly columns: readonly string[];
  /** The columns that are tensors (subset of `columns`). */
  readonly tensors?: readonly string[];
  /** Per-row shape of each tensor column. */
  readonly tensorShapes?: ReadonlyMap<string, readonly number[]>;
  /** The columns that hold text (subset of `columns`). */
  readonly textColumns?: readonly string[];
}

/** An opened data set: columns known, rows streamed in batches on demand (each `batches()` call reads anew). */
export interface DatasetSource extends DatasetSchema {
  readonly file: string;
  readonly format: DatasetFormat;
  readonly columns: readonly string[];
  readonly kinds: ReadonlyMap<string, ColumnKind>;
  readonly tensors: readonly string[];
  readonly tensorShapes: ReadonlyMap<string, readonly number[]>;
  readonly textColumns: readonly string[];
  /** Number of data rows when known without reading the data (NPY/NPZ/Parquet/images); undefined for text formats. */
  readonly rowCount?: number;
  /** Image folders: the class names (sorted subfolder names); a row's `label` is the index into this list. */
  readonly classNames?: readonly string[];
  /** Things worth telling the user about how the data was read (ignored arrays, skipped files, delimiter …). */
  readonly notes: readonly string[];
  /**
   * Streams the rows, `batchSize` at a time (the last batch may be shorter). Memory is bounded by the batch
   * (Parquet: by the row group; NPZ: the decompressed arrays are held). Honors `ctx.signal` between batches and
   * reports `ctx.onProgress` fractions. Throws DatasetError for bad cells (with line/row and column).
   */
  batches(batchSize: number, ctx?: OperationContext): AsyncIterable<DataBatch>;
}
