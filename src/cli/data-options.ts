/** The data flags of the commands that evaluate a model before and after changing it (`ptp quantize`, `ptp prune`). */
import type { Command } from 'commander';
import { collect } from './options';

/** What the data flags leave in the parsed options. */
export interface DataFlags {
  data?: string;
  label?: string | boolean;
  sensitive: string[];
  excludeColumns: string[];
}

/** The help text that differs between the commands. */
export interface DataOptionsHelp {
  /** What `--data <file>` is used for. */
  readonly data: string;
  /** What `--sensitive <column>` says. */
  readonly sensitive: string;
}

/** Adds --data, --label, --no-label, --sensitive and --exclude-columns (in that order) to `c`. */
export function addDataOptions(c: Command, help: DataOptionsHelp): Command {
  return c
    .option('--data <file>', help.data)
    .option('--label <column>', 'label column of --data (default: label/target/y)')
    .option('--no-label', 'no labels: compare predictions only')
    .option('--sensitive <column>', help.sensitive, collect, [])
    .option('--exclude-columns <column>', 'other data columns never fed to the model (repeatable, comma-separated)', collect, []);
}

/** The pipeline's data parameters from the data flags (in this key order). */
export function dataParams(o: DataFlags): { data: string | undefined; label: string | null | undefined; sensitive: string[]; excludeColumns: string[] } {
  return { data: o.data, label: labelOf(o.label), sensitive: o.sensitive, excludeColumns: o.excludeColumns };
}

/**
 * The label the pipeline takes from `--label <column>` / `--no-label`: the column, `null` for no labels, or
 * `undefined` when neither was given (the pipeline then looks for label/target/y).
 */
export function labelOf(flag: string | boolean | undefined): string | null | undefined {
  return flag === false ? null : typeof flag === 'string' ? flag : undefined;
}
