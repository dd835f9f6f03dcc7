/** Starting `ptp serve` in-process for tests (ports chosen by the system), and a gRPC client of it. */
import * as grpc from '@grpc/grpc-js';
import { configOf, startServer, type RunningServer } from '../../src/pipeline/serve';
import { loadService } from '../../src/pipeline/serve/grpc';

export async function serveForTest(doc: Record<string, unknown>, baseDir: string): Promise<RunningServer> {
  return startServer(configOf('test config', { http_port: 0, grpc_port: 0, ...doc }, baseDir));
}

type Unary = (req: object, meta: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: Record<string, unknown>) => void) => void;

/** A promise-returning client of inference.GRPCInferenceService. */
export function grpcClient(port: number): { call: (method: string, req: object, meta?: Record<string, string>) => Promise<Record<string, unknown>>; close: () => void } {
  const pkg = loadService();
  const Ctor = (pkg.inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;
  const client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<string, Unary> & grpc.Client;
  return {
    call: (method, req, meta = {}) =>
      new Promise((resolve, reject) => {
        const md = new grpc.Metadata();
        for (const [k, v] of Object.entries(meta)) md.set(k, v);
        client[method]!.call(client, req, md, (e, r) => (e ? reject(e) : resolve(r)));
      }),
    close: () => client.close(),
  };
}
