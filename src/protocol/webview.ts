/**
 * Messages between the extension host and its webviews (the model overview and the sample-run panel).
 * No vscode, no DOM: both sides import this file.
 *
 * - The webview sends `request`s (each with a fresh `requestId`); the host answers every request with
 *   exactly one `reply` (`ok: true` + result, or `ok: false` + error) carrying `inReplyTo`.
 * - The host pushes `event`s (no reply) when something changed on its side.
 * - Handshake: the webview's first request is `ready`; its reply is the snapshot to render.
 * - The webview may send `log` notifications (uncaught errors) for the output channel.
 * Model strings travel as data; the webview inserts them as text only. Weight bytes never travel.
 */
import type { InspectResult, ValidateResult } from '../core/report-types';
import type { ProfileResult } from './evaluate';
import type { GraphView, NodeDetail, Overlay, TensorDetail } from './graph';
import type { SampleResult } from './worker';

/** The model file a view shows. */
export interface FileInfo {
  /** Base name, e.g. `model.onnx`. */
  readonly name: string;
  /** Absolute file-system path. */
  readonly path: string;
  /** Size in bytes, null when it could not be read. */
  readonly size: number | null;
}

/** A failure as a user sees it: a message to act on, never a stack trace. */
export interface ErrorInfo {
  readonly message: string;
  /** Machine id (OnnxError code, worker error code) when known. */
  readonly code?: string;
  /** True when the user cancelled the operation (show as information, not as an error). */
  readonly cancelled?: boolean;
}

/** What a report panel's export buttons (Copy JSON, Save JSON…, Save CSV…) get back. */
export interface ExportOutcome {
  /** False when the user dismissed the save dialog. */
  readonly done: boolean;
  /** The file written (a path, or a URI outside the file scheme). */
  readonly file?: string;
}

/** Limits the host passes to the overview (from settings). */
export interface OverviewLimits {
  readonly maxInlineTensorElements: number;
}

export type OverviewSnapshot =
  | {
      readonly status: 'ok';
      readonly file: FileInfo;
      readonly overview: InspectResult;
      readonly limits: OverviewLimits;
      /** Latest results for this file, so a re-created webview shows them again. */
      readonly validation: ValidateResult | null;
      readonly sample: SampleResult | null;
      /** The overlay other features set for this file (Graph tab), and the latest Profile Model result. */
      readonly overlay: GraphOverlayState | null;
      readonly profile: ProfileResult | null;
      /** Show the Profile tab (Profile Model just ran for this file). */
      readonly revealProfile: boolean;
      /** `asWebviewUri` of dist/webview/graph-layout-worker.js. */
      readonly layoutWorker: string;
    }
  | { readonly status: 'error'; readonly file: FileInfo; readonly error: ErrorInfo };

export interface SampleSnapshot {
  readonly file: FileInfo;
  readonly result: SampleResult;
}

/** Which long operation the host is running for a view (null = none). */
export interface BusyState {
  readonly operation: 'validate' | 'sample' | null;
}

/** A request/reply pair: what the webview sends and what the host answers. */
export interface RequestSpec<P, R> {
  readonly params: P;
  readonly result: R;
}

/** A per-node overlay as the Graph tab shows it, with the node actions its feature offers (side panel). */
export interface GraphOverlayState {
  readonly overlay: Overlay;
  readonly actions: readonly { readonly id: string; readonly label: string }[];
  /** Switch to the Graph tab to show it (the user asked for it, e.g. "Show sparsity in graph"). */
  readonly reveal?: boolean;
}

/** Which model of a Compare panel a graph request is about (the model editor has only one). */
export type GraphSide = 'left' | 'right';

/** Where a save went (`null`: the user cancelled the save dialog). */
export interface SaveResult {
  readonly saved: string | null;
}

/**
 * The graph component's host calls (webview/graph GraphHost), answered by the extension: structure of a graph
 * (`main`, a subgraph or a function), node/tensor details on request, and saves through a save dialog.
 */
export type GraphRequests = {
  readonly graph: RequestSpec<{ readonly path: string; readonly side?: GraphSide }, GraphView>;
  readonly nodeDetail: RequestSpec<{ readonly path: string; readonly nodeId: number; readonly side?: GraphSide }, NodeDetail>;
  readonly tensorDetail: RequestSpec<{ readonly path: string; readonly tensor: string; readonly side?: GraphSide }, TensorDetail>;
  readonly saveNpy: RequestSpec<{ readonly path: string; readonly tensor: string; readonly side?: GraphSide }, SaveResult>;
  /** SVG text, or PNG bytes as base64. */
  readonly saveExport: RequestSpec<{ readonly kind: 'svg' | 'png'; readonly data: string; readonly side?: GraphSide }, SaveResult>;
};

/** The model overview (custom editor `ptp.modelEditor`): Overview, Graph and Profile tabs. */
export interface OverviewChannel {
  readonly requests: GraphRequests & {
    readonly ready: RequestSpec<null, OverviewSnapshot>;
    readonly validate: RequestSpec<null, ValidateResult>;
    /** Rejected with `cancelled: true` when the user cancels the run. */
    readonly runSample: RequestSpec<null, SampleResult>;
    /** Runs Profile Model on this file (progress notification, cancellable); the result also comes as `profile`. */
    readonly runProfile: RequestSpec<null, ProfileResult>;
    /** A node action of the current overlay (`GraphOverlays.runAction`). */
    readonly nodeAction: RequestSpec<{ readonly actionId: string; readonly node: string }, null>;
  };
  readonly events: {
    readonly snapshot: OverviewSnapshot;
    readonly validation: ValidateResult;
    readonly sample: SampleResult;
    readonly busy: BusyState;
    readonly overlay: GraphOverlayState | null;
    readonly profile: ProfileResult;
  };
}

/** One model of a Compare panel. */
export interface CompareSide {
  readonly file: FileInfo;
  readonly view: GraphView;
}

export interface CompareSnapshot {
  /** `asWebviewUri` of dist/webview/graph-layout-worker.js. */
  readonly layoutWorker: string;
  readonly left: CompareSide;
  readonly right: CompareSide;
  readonly diff: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly { readonly node: string; readonly changes: readonly string[] }[];
  };
}

/** The structural Compare Models panel (`ptp.compareModels`). */
export interface CompareChannel {
  readonly requests: GraphRequests & {
    readonly ready: RequestSpec<null, CompareSnapshot>;
  };
  readonly events: {
    readonly snapshot: CompareSnapshot;
  };
}

/** The sample-run result panel (`ptp.sampleResult`). */
export interface SampleChannel {
  readonly requests: {
    readonly ready: RequestSpec<null, SampleSnapshot>;
  };
  readonly events: {
    readonly snapshot: SampleSnapshot;
  };
}

export interface Channel {
  readonly requests: { readonly [method: string]: RequestSpec<unknown, unknown> };
  readonly events: { readonly [event: string]: unknown };
}

export type MethodOf<C extends Channel> = keyof C['requests'] & string;
export type ParamsOf<C extends Channel, K extends MethodOf<C>> = C['requests'][K]['params'];
export type ResultOf<C extends Channel, K extends MethodOf<C>> = C['requests'][K]['result'];
export type EventOf<C extends Channel> = keyof C['events'] & string;

export type RequestMessage<C extends Channel> = {
  [K in MethodOf<C>]: {
    readonly type: 'request';
    readonly requestId: number;
    readonly method: K;
    readonly params: ParamsOf<C, K>;
  };
}[MethodOf<C>];

export type ReplyMessage =
  | { readonly type: 'reply'; readonly inReplyTo: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly inReplyTo: number; readonly ok: false; readonly error: ErrorInfo };

export type EventMessage<C extends Channel> = {
  [K in EventOf<C>]: { readonly type: 'event'; readonly event: K; readonly data: C['events'][K] };
}[EventOf<C>];

export interface LogMessage {
  readonly type: 'log';
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** Everything the host posts to a webview of channel C. */
export type HostMessage<C extends Channel> = ReplyMessage | EventMessage<C>;
/** Everything a webview of channel C posts to the host. */
export type ViewMessage<C extends Channel> = RequestMessage<C> | LogMessage;

export type HostToOverview = HostMessage<OverviewChannel>;
export type OverviewToHost = ViewMessage<OverviewChannel>;
export type HostToSample = HostMessage<SampleChannel>;
export type HostToCompare = HostMessage<CompareChannel>;
export type SampleToHost = ViewMessage<SampleChannel>;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Shape check of a message received from a webview (method names are checked by the dispatcher). */
export function isViewMessage(x: unknown): x is { type: 'request'; requestId: number; method: string; params: unknown } | LogMessage {
  if (!isRecord(x)) return false;
  if (x.type === 'request') return typeof x.requestId === 'number' && Number.isInteger(x.requestId) && typeof x.method === 'string';
  if (x.type === 'log') return typeof x.message === 'string' && (x.level === 'info' || x.level === 'warn' || x.level === 'error');
  return false;
}

/** Shape check of a message received from the host. */
export function isHostMessage(x: unknown): x is ReplyMessage | { type: 'event'; event: string; data: unknown } {
  if (!isRecord(x)) return false;
  if (x.type === 'reply') return typeof x.inReplyTo === 'number' && typeof x.ok === 'boolean';
  if (x.type === 'event') return typeof x.event === 'string';
  return false;
}
