/** Messages between the server and an instance worker thread (one onnxruntime session each). */
export interface WireTensor {
  readonly name: string;
  /** onnxruntime-node tensor type name. */
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayBufferView | string[];
}

export interface InstanceInit {
  readonly file: string;
  readonly intraOpNumThreads: number;
}

export type ToInstance = { readonly type: 'run'; readonly id: number; readonly feeds: readonly WireTensor[]; readonly fetches: readonly string[] };

export type FromInstance =
  | { readonly type: 'ready' }
  | { readonly type: 'load-failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly outputs: readonly WireTensor[]; readonly computeSeconds: number }
  | { readonly type: 'run-failed'; readonly id: number; readonly message: string };
