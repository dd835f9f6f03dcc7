/**
 * The registry's records: JSON files a person can read and git can diff (snake_case keys; the CLI's --json prints
 * them as they are stored). Layout under the registry folder (default `.ptp/registry`):
 *
 *   registry.json                                  {format: "ptp-registry", format_version: 1}
 *   models/<name>/model.json                       ModelRecord (name, description, tags, aliases, alias history)
 *   models/<name>/versions/<n>/version.json        VersionRecord
 *   models/<name>/versions/<n>/model.onnx          the model file (+ its external data files beside it)
 *   models/<name>/versions/<n>/evaluations/<id>.json  EvaluationRecord, one per attached run
 *   .lock                                          the writers' lock (see ../shared/lock.ts)
 */
import type { EvaluateResult } from '../../protocol/evaluate';

export const REGISTRY_FORMAT = 'ptp-registry';
export const REGISTRY_FORMAT_VERSION = 1;

/** Model names: a letter or digit, then letters, digits, `.`, `_`, `-` (at most 128). Aliases: the same. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface AliasMove {
  readonly alias: string;
  /** The version it pointed to before (null: new alias). */
  readonly from: number | null;
  /** The version it points to now (null: alias removed). */
  readonly to: number | null;
  /** Who moved it: $PTP_USER, else the OS user name. */
  readonly by: string;
  /** ISO 8601. */
  readonly at: string;
}

export interface ModelRecord {
  readonly name: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** alias → version. */
  readonly aliases: Readonly<Record<string, number>>;
  /** Every alias move, oldest first: the deployment history. */
  readonly alias_history: readonly AliasMove[];
  readonly created: string;
  /** The number the next version gets (numbers are never reused, even after a removal). */
  readonly next_version: number;
}

export interface VersionRef {
  readonly name: string;
  readonly version: number;
}

export interface Approval {
  readonly by: string;
  readonly at: string;
  readonly message: string;
  /** e.g. the pipeline stage that asked. */
  readonly context?: string;
}

export interface VersionRecord {
  readonly name: string;
  /** 1, 2, … per model. */
  readonly version: number;
  /** sha256 (hex) of the model file (.onnx; external data files are listed, not hashed into it). */
  readonly sha256: string;
  /** Bytes of the model file plus its external data. */
  readonly size_bytes: number;
  readonly created: string;
  /** The absolute path it was registered from. */
  readonly source: string;
  /** The stored model file, relative to the version folder (always `model.onnx`). */
  readonly file: string;
  /** External data files stored beside it (relative to the version folder). */
  readonly external_data: readonly string[];
  /** The version of any model in this registry whose sha256 is this one's lineage parent (null: none found). */
  readonly parent: VersionRef | null;
  /** From the file's `ptp.lineage` metadata: the parent's sha256, even when the parent is not registered. */
  readonly parent_sha256: string | null;
  /** From the file's `ptp.lineage`: the operation that made it and its full parameters (the recipe). */
  readonly lineage: { readonly operation: string; readonly params: Readonly<Record<string, unknown>>; readonly tool_version?: string } | null;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly approvals: readonly Approval[];
}

/** One evaluation run attached to a version (`ptp evaluate NAME@REF … --save`, or the VS Code run). */
export interface EvaluationRecord {
  /** `<created, filesystem-safe>-<random>`: unique, sorts by time. */
  readonly id: string;
  readonly created: string;
  readonly data: { readonly file: string; readonly sha256: string; readonly name: string };
  readonly task: EvaluateResult['task'];
  readonly samples: number;
  /** The headline metrics (the scalar entries of result.metrics). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The whole evaluation result as `ptp evaluate --json` prints it. */
  readonly result: EvaluateResult;
}

/** A reference to a model: a file path, or NAME@VERSION / NAME@ALIAS (NAME alone: the latest version). */
export interface ParsedRef {
  readonly name: string;
  /** A version number, an alias, or undefined for the latest version. */
  readonly ref?: number | string;
}
