/**
 * What Monitor Model… sends to the worker op `monitor`: the choices made in the pickers (or passed by a script as
 * an arguments object) and the runtime settings, turned into MonitorParams; the chunking choices of the quick pick.
 * No vscode: unit tested on plain Node.
 */
import type { MonitorParams } from '../../../protocol/monitor';
import type { RuntimeOptions } from '../../../protocol/worker';
import { CommandArgumentsError } from '../../shared/logic/command-args';

/** The choices of Monitor Model… (pickers or arguments object). */
export interface MonitorChoices {
  /** Absolute path of the reference data file. */
  readonly reference: string;
  /** Absolute path of the current data file or of a `ptp serve` request log. */
  readonly current: string;
  readonly chunkSize?: number;
  readonly chunkPeriod?: string;
  /** DataSelection's label: undefined = auto-detect, null = none, else its name. */
  readonly label?: string | null;
  /** Columns neither checked for drift nor fed to the model (ids, text the model does not take). */
  readonly excludeColumns?: readonly string[];
}

/** `30m`, `1h`, `1d`, `1w` …: what the op's period chunks accept. */
export const PERIOD_PATTERN = /^[1-9]\d*[mhdw]$/;

export function monitorParams(model: string, c: MonitorChoices, runtime: RuntimeOptions, html?: string): MonitorParams {
  return {
    reference: c.reference,
    current: c.current,
    model,
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.excludeColumns?.length ? { excludeColumns: c.excludeColumns } : {}),
    ...(c.chunkSize !== undefined ? { chunkSize: c.chunkSize } : {}),
    ...(c.chunkPeriod !== undefined ? { chunkPeriod: c.chunkPeriod } : {}),
    ...(html !== undefined ? { html } : {}),
    ...runtime,
  };
}

/** The chunking quick pick's entries (`custom` asks for rows or a period). */
export type Chunking = { readonly chunkSize?: number; readonly chunkPeriod?: string };

export const CHUNKING_CHOICES: readonly { readonly label: string; readonly description: string; readonly value: Chunking | 'custom' }[] = [
  { label: '10 chunks', description: 'the current data cut into 10 equal chunks (default)', value: {} },
  { label: 'By 500 rows', description: 'a chunk every 500 rows', value: { chunkSize: 500 } },
  { label: 'By hour', description: 'request times (or the time column), UTC hours', value: { chunkPeriod: '1h' } },
  { label: 'By day', description: 'request times (or the time column), UTC days', value: { chunkPeriod: '1d' } },
  { label: 'Custom…', description: 'a number of rows, or a period such as 30m, 6h, 1w', value: 'custom' },
];

/** What the custom chunking input box accepts: rows (an integer ≥ 1) or a period; a message when it is neither. */
export function parseCustomChunking(text: string): Chunking | string {
  const t = text.trim();
  if (/^\d+$/.test(t) && Number(t) >= 1) return { chunkSize: Number(t) };
  if (PERIOD_PATTERN.test(t)) return { chunkPeriod: t };
  return 'Type a number of rows (e.g. 250) or a period (30m, 1h, 1d, 1w).';
}

/** `{ reference, current, chunkSize?, chunkPeriod?, label?, excludeColumns? }` → MonitorChoices; the files must be absolute paths. */
export function parseMonitorArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): MonitorChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const file = (key: string, what: string): string => {
    const v = x[key];
    if (typeof v !== 'string' || !isAbsolute(v)) fail(`"${key}" must be the absolute path of ${what}, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const reference = file('reference', 'the reference data file');
  const current = file('current', 'the current data file or a ptp serve request log');
  const chunkSize = x.chunkSize;
  if (chunkSize !== undefined && (typeof chunkSize !== 'number' || !Number.isInteger(chunkSize) || chunkSize < 1)) fail(`"chunkSize" must be an integer ≥ 1, got ${JSON.stringify(chunkSize)}`);
  const chunkPeriod = x.chunkPeriod;
  if (chunkPeriod !== undefined && (typeof chunkPeriod !== 'string' || !PERIOD_PATTERN.test(chunkPeriod))) fail(`"chunkPeriod" must be a period such as 30m, 1h, 1d or 1w, got ${JSON.stringify(chunkPeriod)}`);
  if (chunkSize !== undefined && chunkPeriod !== undefined) fail(`give "chunkSize" or "chunkPeriod", not both`);
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null, got ${JSON.stringify(label)}`);
  const exclude = x.excludeColumns;
  if (exclude !== undefined && (!Array.isArray(exclude) || !exclude.every((c) => typeof c === 'string' && c !== ''))) fail(`"excludeColumns" must be a list of column names, got ${JSON.stringify(exclude)}`);
  return {
    reference,
    current,
    ...(exclude !== undefined ? { excludeColumns: exclude as string[] } : {}),
    ...(chunkSize !== undefined ? { chunkSize: chunkSize as number } : {}),
    ...(chunkPeriod !== undefined ? { chunkPeriod: chunkPeriod as string } : {}),
    ...(label !== undefined ? { label: label as string | null } : {}),
  };
}
