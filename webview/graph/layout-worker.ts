/**
 * The layout worker: a batch of container layouts per `layout` message, one reply with all results (typed
 * arrays moved, not copied). Bundled on its own to dist/webview/graph-layout-worker.js and started from a Blob by
 * layout-client.ts (a webview cannot start a Worker from its resource URL directly).
 */
import { runLayout } from './layout-run';
import type { LayoutJobResult, LayoutReplyMessage, LayoutRequestMessage } from './layout-types';

interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequestMessage>) => void) | null;
  postMessage(message: LayoutReplyMessage, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type !== 'layout') return;
  const results: LayoutJobResult[] = [];
  const transfer: Transferable[] = [];
  for (const job of msg.jobs) {
    const t0 = performance.now();
    try {
      const output = runLayout(job.engine, job.input);
      results.push({ id: job.id, output, ms: performance.now() - t0 });
      transfer.push(output.x.buffer, output.y.buffer, output.edgeStart.buffer, output.points.buffer);
      if (output.stubs) transfer.push(output.stubs.buffer);
    } catch (e) {
      results.push({ id: job.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  scope.postMessage({ type: 'results', results }, transfer);
};
