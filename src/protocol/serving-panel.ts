/**
 * Messages between the extension host and the Serving panel (`ptp.serving`, webview app webview/serving): the
 * running `ptp serve` child process, its live numbers per served version (`GET /v2/admin/stats`, polled once a
 * second), the routing controls (split, sticky header, shadow; promote, roll back) and Send Test Request. Same
 * channel rules as src/protocol/webview.ts: `ready` answers with the snapshot, every request gets a reply or an
 * error. Strings from the server and the model travel as data and are shown as text. No vscode, no DOM.
 */
import type { VersionStats } from '../pipeline/serve/stats';
import type { RequestSpec } from './webview';

export type { VersionStats };

/** A served version as the server reported it at start (`models` of the listening line). */
export interface ServedVersion {
  readonly model: string;
  readonly version: string;
  readonly state: string;
  readonly reason?: string;
  /** What the config named: a file or NAME@REF. */
  readonly source: string;
}

/** The routing of one served model (the JSON keys of the admin endpoints). */
export interface ServingRouting {
  readonly split: Readonly<Record<string, number>>;
  readonly sticky_header: string | null;
  readonly shadow: string | null;
}

/** One served model's live numbers (`GET /v2/admin/stats`, one entry of `models`). */
export interface ServedModelStats extends ServingRouting {
  readonly name: string;
  readonly versions: readonly VersionStats[];
  readonly ready: readonly string[];
  readonly queue_depth: Readonly<Record<string, number>>;
}

/** The running server. */
export interface ServerInfo {
  /** What was served, for titles: `digits_mlp.onnx` or `digits (v1, v2)`. */
  readonly label: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, null without gRPC. */
  readonly grpc: string | null;
  readonly pid: number | null;
  readonly versions: readonly ServedVersion[];
}

/** One poll of the server. */
export interface ServingStats {
  /** ISO time of the poll. */
  readonly time: string;
  readonly models: readonly ServedModelStats[];
  /** Requests per second over the last poll interval (all versions). */
  readonly requestsPerSecond: number;
}

export interface ServingSnapshot {
  /** null: nothing is being served (the panel offers nothing but the hint to serve a model). */
  readonly server: ServerInfo | null;
  /** The last poll (null until the first one). */
  readonly stats: ServingStats | null;
  /** The last test request's answer in this session. */
  readonly answer: TestAnswer | null;
}

/** What Send Test Request got back. */
export interface TestAnswer {
  readonly model: string;
  /** The version that answered (`model_version` of the response). */
  readonly modelVersion: string | null;
  /** The data file the rows came from. */
  readonly data: string;
  readonly rows: number;
  readonly ms: number;
  /** The response as pretty-printed JSON text (outputs as arrays; long ones shortened). */
  readonly json: string;
}

export interface RoutingChange {
  readonly model: string;
  readonly split?: Readonly<Record<string, number>>;
  /** null: no sticky routing. */
  readonly stickyHeader?: string | null;
  /** null: no shadow version. */
  readonly shadow?: string | null;
}

export interface ServingChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, ServingSnapshot>;
    /** Applies a routing change (POST …/routing); the new routing comes back and in the next stats. */
    readonly setRouting: RequestSpec<RoutingChange, ServingRouting>;
    readonly promote: RequestSpec<{ readonly model: string; readonly version: string }, ServingRouting>;
    readonly rollback: RequestSpec<{ readonly model: string }, ServingRouting>;
    /** Asks for a data file (quick pick), sends its first rows to `model`; null when the user dismissed the picker. */
    readonly sendTestRequest: RequestSpec<{ readonly model: string; readonly rows: number }, TestAnswer | null>;
    readonly stop: RequestSpec<null, null>;
  };
  readonly events: {
    /** The server started or stopped. */
    readonly snapshot: ServingSnapshot;
    readonly stats: ServingStats;
  };
}
