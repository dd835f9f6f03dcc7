/**
 * The column and test options `ptp drift` and `ptp monitor` share (one definition, so the two read the same
 * flags the same way): which columns, their kinds, the tests and thresholds, the drifted share.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { STAT_TESTS, type DriftParams, type StatTestName } from '../protocol/drift';
import { collect, numberArg, oneOf } from './options';

export interface DriftFlags {
  columns: string[];
  exclude: string[];
  categorical: string[];
  numerical: string[];
  stattest: StatTestName | 'auto';
  threshold?: number;
  columnStattest: [string, StatTestName][];
  columnThreshold: [string, number][];
  driftShare: number;
}

const testName = oneOf(['auto', ...STAT_TESTS] as const, 'a test');

function pair<T>(value: (v: string) => T): (v: string, prev: [string, T][]) => [string, T][] {
  return (v, prev = []) => {
    const eq = v.lastIndexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new InvalidArgumentError('expected column=value');
    return [...prev, [v.slice(0, eq), value(v.slice(eq + 1))]];
  };
}

function columnTest(v: string): StatTestName {
  const t = testName(v);
  if (t === 'auto') throw new InvalidArgumentError(`expected a test: ${STAT_TESTS.join(', ')}`);
  return t;
}

function shareArg(v: string): number {
  const n = numberArg(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a share in (0, 1]');
  return n;
}

/** Adds the column and test options; `unit` says what drifts at the share ("the data set", "a chunk"). */
export function addDriftOptions(command: Command, unit: string): Command {
  return command
    .option('--columns <columns>', 'check only these columns (comma-separated, repeatable)', collect, [])
    .option('--exclude <columns>', 'never check these columns (an id, the label …)', collect, [])
    .option('--categorical <columns>', 'read these columns as categorical', collect, [])
    .option('--numerical <columns>', 'read these columns as numerical', collect, [])
    .option('--stattest <test>', `auto | ${STAT_TESTS.join(' | ')}: one test for every column it applies to`, testName, 'auto')
    .option('--threshold <x>', "every test's threshold (default: the test's own: 0.05 for p-values, 0.1 for distances and anderson)", numberArg)
    .option('--column-stattest <column=test>', 'the test of one column (repeatable)', pair(columnTest), [])
    .option('--column-threshold <column=x>', 'the threshold of one column (repeatable)', pair(numberArg), [])
    .option('--drift-share <x>', `${unit} drifts when this share of the columns drift`, shareArg, 0.5);
}

/** The drift params of the flags. */
export function driftSelection(o: DriftFlags): Pick<DriftParams, 'columns' | 'excludeColumns' | 'categorical' | 'numerical' | 'stattest' | 'threshold' | 'columnStattests' | 'columnThresholds' | 'driftShare'> {
  return {
    ...(o.columns.length ? { columns: o.columns } : {}),
    excludeColumns: o.exclude,
    categorical: o.categorical,
    numerical: o.numerical,
    stattest: o.stattest,
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    columnStattests: Object.fromEntries(o.columnStattest),
    columnThresholds: Object.fromEntries(o.columnThreshold),
    driftShare: o.driftShare,
  };
}
