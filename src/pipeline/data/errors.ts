import { UserError } from '../../core/user-error';
/** The one error type of the data layer: a problem with a data set (or its fit to a model) the user can act on. */

export type DatasetErrorCode =
  /** The file or folder does not exist or cannot be read. */
  | 'not-found'
  /** The bytes are not what the format says (bad NPY header, broken CSV quoting, undecodable image …). */
  | 'malformed'
  /** A valid file using something this reader does not handle (Fortran-order NPY, big-endian, structs …). */
  | 'unsupported'
  /** A column named in the options (label, sensitive, excludeColumns, input map) is not in the data. */
  | 'missing-column'
  /** The feature columns do not fit a model input (count, shape, element type). */
  | 'feature-mismatch'
  /** The model inputs cannot be matched with columns (multi-input routing). */
  | 'routing'
  /** A text cell where the column holds numbers. */
  | 'non-numeric'
  /** A row's label is missing (empty / NaN). */
  | 'bad-label'
  /** An option is out of range. */
  | 'invalid-option';

/** Where in the data set an error was found (all optional; whatever is known). */
export interface DatasetErrorLocation {
  /** 1-based line of the file (text formats: counts the header line). */
  readonly line?: number;
  /** 0-based index of the data row. */
  readonly row?: number;
  readonly column?: string;
}

/** A data problem; the message starts with the data file's path and says what to do where it can. */
export class DatasetError extends UserError {
  readonly category = 'DATASET';
  constructor(
    readonly file: string,
    readonly code: DatasetErrorCode,
    message: string,
    readonly location: DatasetErrorLocation = {},
  ) {
    super(`${file}: ${message}`);
    this.name = 'DatasetError';
  }
}

export function isDatasetError(e: unknown): e is DatasetError {
  return e instanceof DatasetError;
}

/** A cell that is not a number in a numeric column; `line` for text formats (1-based, header counted). */
export function nonNumericError(file: string, cell: string, column: string, line: number | undefined, row: number): DatasetError {
  const where = line !== undefined ? `line ${line} (data row ${row + 1})` : `row ${row + 1}`;
  const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
  return new DatasetError(
    file,
    'non-numeric',
    `non-numeric value ${JSON.stringify(shown)} in column "${column}" at ${where}; the column held only numbers in the ` +
      'first rows, so it is read as numeric (exclude the column, or fix the cell)',
    { line, row, column },
  );
}
