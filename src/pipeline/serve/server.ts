/**
 * `ptp serve`: the REST and gRPC front ends over one ServerCore, started together and stopped together.
 * `close()` drains: new requests are refused (503), those in flight are answered, then the ports close.
 */
import type { AddressInfo } from 'node:net';
import type { OperationContext } from '../operation';
import type { ServeConfig } from './config';
import { ServerCore, type VersionStatus } from './core';
import { ServeError } from './errors';
import { startGrpc, type GrpcHandle } from './grpc';
import { ServeMetrics } from './metrics';
import { RequestLog } from './request-log';
import { createRestServer } from './rest';

export interface RunningServer {
  readonly core: ServerCore;
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number | null;
  /** `http://HOST:PORT` */
  readonly url: string;
  readonly models: readonly VersionStatus[];
  /** Drains and stops (idempotent). */
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\./.test(host);
}

const hostInUrl = (h: string) => (h.includes(':') ? `[${h}]` : h);

export async function startServer(config: ServeConfig, ctx: OperationContext = {}): Promise<RunningServer> {
  const metrics = new ServeMetrics();
  const log = config.log ? new RequestLog(config.log) : null;
  const core = new ServerCore(config, metrics, log);
  ctx.onProgress?.({ message: `loading ${config.models.map((m) => m.name).join(', ')}…` });
  const models = await core.start();
  const rest = createRestServer(core, { maxBodyBytes: config.maxBodyBytes, requestTimeoutMs: config.requestTimeoutMs });
  let grpc: GrpcHandle | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      rest.once('error', (e: NodeJS.ErrnoException) => reject(new ServeError('bad-config', `cannot listen on ${config.host}:${config.httpPort}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message} (choose another with --http-port)`)));
      rest.listen(config.httpPort, config.host, () => resolve());
    });
    if (config.grpcPort !== null) grpc = await startGrpc(core, config.host, config.grpcPort, config.maxBodyBytes);
  } catch (e) {
    rest.close();
    await core.close();
    throw e;
  }
  const httpPort = (rest.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await core.drain();
      await Promise.all([
        new Promise<void>((resolve) => {
          rest.close(() => resolve());
          rest.closeIdleConnections();
          setTimeout(() => rest.closeAllConnections(), 2_000).unref();
        }),
        grpc?.close(),
      ]);
      await core.close();
    })());
  ctx.signal?.addEventListener('abort', () => void close(), { once: true });
  return { core, host: config.host, httpPort, grpcPort: grpc?.port ?? null, url: `http://${hostInUrl(config.host)}:${httpPort}`, models, close };
}
