/**
 * The pipeline's data layer: evaluation data sets read in bounded batches and mapped onto a model's inputs.
 *
 *   const source = await openDataset('test.csv');                      // columns known, rows not read yet
 *   const plan = planFeatures(source, inspect(model).inputs, { requireLabel: true });
 *   for await (const batch of source.batches(1024, ctx)) {
 *     const { inputs, labels, sensitive, nanFeatureCells } = buildBatchInputs(plan, batch);
 *     // inputs: DecodedTensor per model input → toOrtTensor → session.run
 *   }
 *
 * Formats: CSV/TSV (header row; streamed; quoted fields, BOM, CRLF), NPY (rows read by offset), NPZ (X/y …),
 * JSON Lines, Parquet (row group by row group), image folders (`<root>/<class>/*.png|jpg`). Errors are
 * DatasetError with messages that start with the file path. No vscode, no onnxruntime.
 */
import { statSync } from 'node:fs';
import { openNpy, openNpz } from './arrays';
import { openCsv } from './csv';
import { DatasetError } from './errors';
import { openImageFolder } from './images';
import { openJsonl } from './jsonl';
import { openParquet } from './parquet';
import { detectFormat } from './sniff';
import type { DatasetSource, OpenDatasetOptions } from './types';

export { DatasetError, isDatasetError, type DatasetErrorCode, type DatasetErrorLocation } from './errors';
export { buildBatchInputs, rowLocation, type BatchInputs } from './feed';
export { imageOptionsForInput } from './images';
export { parseNumberText } from './numbers';
export { autoLabelColumn, listNames, planFeatures, shapeText, type ExcludedColumn, type FeaturePlan, type FeedSource, type InputFeed, type PlanOptions } from './plan';
export { sniffBytes } from './sniff';
export type {
  ColumnKind,
  DataBatch,
  DatasetFormat,
  DatasetSchema,
  DatasetSource,
  ImageOptions,
  OpenDatasetOptions,
  TensorBatch,
} from './types';

/**
 * Opens a data set for streaming: reads what is needed to know its columns (the CSV/TSV/JSONL header and first
 * `sampleRows` rows, NPY/Parquet metadata, the image folder's listing; NPZ archives are decompressed in memory)
 * and returns a source whose `batches()` streams the rows. The format comes from `options.format`, else the
 * extension, else the first bytes; a folder is an image folder.
 *
 * Column model: CSV/TSV/JSONL/Parquet columns as in the file (number, text, or — JSONL/Parquet lists — tensor);
 * NPY: one tensor column `X` (or a number column for a 1-D array); NPZ: one column per array named after it
 * (`X` tensor, `y` number …); image folders: `image` (tensor), `label` (class index into `classNames`), `path`.
 *
 * Throws DatasetError: missing file ('not-found'), unreadable or inconsistent file ('malformed'), features of a
 * file this reader does not handle ('unsupported', e.g. Fortran-order or big-endian NPY), bad options.
 */
export async function openDataset(file: string, options: OpenDatasetOptions = {}): Promise<DatasetSource> {
  const format = options.format ?? (await detectFormat(file));
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    throw new DatasetError(file, 'not-found', 'no such file or folder');
  }
  if ((format === 'images') !== isDir) {
    throw new DatasetError(file, 'invalid-option', format === 'images' ? 'the images format needs a folder (one subfolder per class)' : `a folder cannot be read as ${format}`);
  }
  const sampleRows = options.sampleRows ?? 1000;
  if (!Number.isSafeInteger(sampleRows) || sampleRows < 1) {
    throw new DatasetError(file, 'invalid-option', `sampleRows must be a positive integer, got ${options.sampleRows}`);
  }
  switch (format) {
    case 'csv':
    case 'tsv':
      return openCsv(file, format, { delimiter: options.delimiter, sampleRows });
    case 'npy':
      return openNpy(file);
    case 'npz':
      return openNpz(file);
    case 'jsonl':
      return openJsonl(file, { sampleRows });
    case 'parquet':
      return openParquet(file, { sampleRows });
    case 'images':
      return openImageFolder(file, options.image);
    default:
      throw new DatasetError(file, 'invalid-option', `unknown format ${String(format)}`);
  }
}
