/** The graph component's host (GraphHost) over a webview channel with the GraphRequests (model editor, Compare). */
import type { GraphHost } from './index';
import type { GraphRequests, GraphSide } from '../../src/protocol/webview';

/** The part of a HostClient the graph host needs (any channel that includes GraphRequests). */
export interface GraphRequester {
  request<K extends keyof GraphRequests & string>(method: K, params: GraphRequests[K]['params']): Promise<GraphRequests[K]['result']>;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function graphHost(client: GraphRequester, side?: GraphSide): GraphHost {
  const withSide = side ? { side } : {};
  return {
    nodeDetail: (path, nodeId) => client.request('nodeDetail', { path, nodeId, ...withSide }),
    tensorDetail: (path, tensor) => client.request('tensorDetail', { path, tensor, ...withSide }),
    openGraph: (path) => client.request('graph', { path, ...withSide }),
    saveNpy: async (path, tensor) => {
      await client.request('saveNpy', { path, tensor, ...withSide });
    },
    saveExport: async (kind, data) => {
      const result = await client.request('saveExport', { kind, data: typeof data === 'string' ? data : base64(data), ...withSide });
      if (result.saved === null) throw new Error('not saved (cancelled)');
    },
  };
}
