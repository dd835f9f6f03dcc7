/**
 * `ptp serve MODEL|NAME@REF [flags]` or `ptp serve --config serve.yaml`: the Open Inference Protocol server
 * (src/pipeline/serve). On start it prints `listening http://HOST:PORT grpc HOST:PORT` (with --json one JSON
 * object with the same), then serves until SIGTERM/SIGINT, which drains the requests in flight and exits 0.
 * `ptp serve route|promote|rollback|status` talk to a running server's admin endpoints.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { isRegistryRef, parseRef } from '../../pipeline/registry';
import { DEFAULTS, modelConfigOf, readConfigFile, isLoopback, startServer, V2Client, type ServeConfig, type RoutingInfo } from '../../pipeline/serve';
import { modelNameFor } from '../../pipeline/export/triton';
import { registryDir } from '../model-refs';
import { printJson, UsageError } from '../output';
import { numberArg, positiveInt } from '../options';

interface ServeFlags {
  config?: string;
  name?: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  grpc: boolean;
  maxBatchSize: number;
  maxQueueDelayUs: number;
  maxQueueSize: number;
  instances: number;
  threads?: number;
  log?: string;
  logSample: number;
  logInputs: boolean;
  logMaxBytes: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  json?: boolean;
}

const nonNegativeInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`expected an integer ≥ 0, got "${v}"`);
  return n;
};

const bool = (v: string): boolean => {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new UsageError(`expected true or false, got "${v}"`);
};

function configFromFlags(source: string | undefined, o: ServeFlags, registry: string): ServeConfig {
  if (o.config) {
    if (source) throw new UsageError('give either a model or --config, not both');
    const cfg = readConfigFile(o.config, { registry });
    return cfg;
  }
  if (!source) throw new UsageError('give a model (a .onnx file or NAME@VERSION / NAME@ALIAS) or --config serve.yaml');
  const name = o.name ?? (isRegistryRef(source) ? parseRef(source).name : modelNameFor(source));
  const model = modelConfigOf(
    'the command line',
    {
      name,
      model: source,
      batching: { max_batch_size: o.maxBatchSize, max_queue_delay_us: o.maxQueueDelayUs, max_queue_size: o.maxQueueSize },
      instances: o.instances,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
    },
    '--name',
    process.cwd(),
  );
  return {
    host: o.host,
    httpPort: o.httpPort,
    grpcPort: o.grpc ? o.grpcPort : null,
    registry,
    log: o.log ? { path: path.resolve(o.log), sample: o.logSample, logInputs: o.logInputs, maxBytes: o.logMaxBytes, keep: DEFAULTS.logKeep } : null,
    maxBodyBytes: o.maxBodyBytes,
    requestTimeoutMs: o.requestTimeoutMs,
    models: [model],
  };
}

const hostPort = (h: string, p: number) => `${h.includes(':') ? `[${h}]` : h}:${p}`;

function routingText(r: RoutingInfo): string {
  const split = Object.entries(r.routing.split);
  const lines = [
    `${r.name}: versions ${r.versions.join(', ')} (ready: ${r.ready.join(', ') || 'none'})`,
    `  split: ${split.length ? split.map(([v, w]) => `${v}=${w}`).join(', ') : `all to the newest ready version (${r.ready[0] ?? '-'})`}`,
    `  sticky header: ${r.routing.sticky_header ?? 'none'}`,
    `  shadow: ${r.routing.shadow ?? 'none'}`,
  ];
  return lines.join('\n');
}

/** `1=90,2=10` → {"1": 90, "2": 10} */
function splitOption(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    const w = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(w) || w < 0) throw new UsageError(`--split takes VERSION=WEIGHT pairs like 1=90,2=10; "${part}" is not one`);
    out[m[1]!.trim()] = w;
  }
  return out;
}

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('Serve models over the Open Inference Protocol (KServe V2): REST + gRPC, dynamic batching, canary/A-B routing, Prometheus metrics.')
    .argument('[source]', 'a .onnx file or NAME@VERSION / NAME@ALIAS (resolved at start and on reload)')
    .option('--config <file>', 'serve several models and versions from a YAML file')
    .option('--name <name>', 'the model name clients use (default: the file name, or NAME of NAME@REF)')
    .option('--host <host>', 'address to bind (a non-loopback address prints a warning)', DEFAULTS.host)
    .option('--http-port <port>', 'REST port (0: any free port)', nonNegativeInt, DEFAULTS.httpPort)
    .option('--grpc-port <port>', 'gRPC port (0: any free port)', nonNegativeInt, DEFAULTS.grpcPort)
    .option('--no-grpc', 'no gRPC server')
    .option('--max-batch-size <n>', 'largest dynamic batch in rows (0: no batching)', nonNegativeInt, DEFAULTS.maxBatchSize)
    .option('--max-queue-delay-us <us>', 'longest a request waits for others to batch with', nonNegativeInt, DEFAULTS.maxQueueDelayUs)
    .option('--max-queue-size <n>', 'requests that may wait per version; more are refused with 503', positiveInt, DEFAULTS.maxQueueSize)
    .option('--instances <n>', 'onnxruntime sessions per version, each on its own thread', positiveInt, DEFAULTS.instances)
    .option('--threads <n>', 'intra-op threads per instance (default: the cores shared among the instances)', positiveInt)
    .option('--log <file>', 'request log (JSON Lines, rotated by size) for monitoring')
    .option('--log-sample <rate>', 'share of requests logged, 0–1', numberArg, 1)
    .option('--log-inputs <bool>', 'log the inputs (false: their sha256 only)', bool, true)
    .option('--log-max-bytes <n>', 'rotate the log at this size', positiveInt, DEFAULTS.logMaxBytes)
    .option('--max-body-bytes <n>', 'largest request body (413 above)', positiveInt, DEFAULTS.maxBodyBytes)
    .option('--request-timeout-ms <ms>', 'a request body not received by then is refused (408)', positiveInt, DEFAULTS.requestTimeoutMs)
    .option('--json', 'print the listening line as one JSON object on one line')
    .action(async (source: string | undefined, o: ServeFlags, cmd: Command) => {
      if (o.logSample < 0 || o.logSample > 1) throw new UsageError(`--log-sample must be from 0 to 1, got ${o.logSample}`);
      const config = configFromFlags(source, o, registryDir(cmd));
      if (!isLoopback(config.host)) process.stderr.write(`ptp serve: warning: binding ${config.host} makes the server reachable from other machines; it has no authentication (the admin endpoints still answer only on loopback)\n`);
      const server = await startServer(config, { onProgress: (p) => p.message && process.stderr.write(`${p.message}\n`) });
      const grpc = server.grpcPort !== null ? hostPort(server.host, server.grpcPort) : null;
      for (const m of server.models) if (m.state === 'failed') process.stderr.write(`ptp serve: ${m.model} version ${m.version} failed to load: ${m.reason}\n`);
      if (o.json) console.log(JSON.stringify({ listening: true, http: server.url, grpc, models: server.models }));
      else process.stdout.write(`listening ${server.url} grpc ${grpc ?? 'off'}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stderr.write('ptp serve: draining…\n');
          void server.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });

  const urlOption = (c: Command) => c.option('--url <url>', 'the server', `http://127.0.0.1:${DEFAULTS.httpPort}`).option('--json', 'print one JSON document');
  const show = (r: RoutingInfo, json?: boolean) => (json ? printJson(r) : console.log(routingText(r)));

  urlOption(
    serve
      .command('route')
      .description("Change a served model's routing without a restart: the split, the sticky header, the shadow version.")
      .argument('<name>', 'the served model')
      .option('--split <pairs>', 'VERSION=WEIGHT pairs, e.g. 1=90,2=10', splitOption)
      .option('--sticky-header <header>', 'route by a hash of this header\'s value ("none" to stop)')
      .option('--shadow <version>', 'mirror requests to this version ("none" to stop)'),
  ).action(async (name: string, o: { split?: Record<string, number>; stickyHeader?: string; shadow?: string; url: string; json?: boolean }) => {
    const client = new V2Client(o.url);
    const change = {
      ...(o.split ? { split: o.split } : {}),
      ...(o.stickyHeader !== undefined ? { sticky_header: o.stickyHeader === 'none' ? null : o.stickyHeader } : {}),
      ...(o.shadow !== undefined ? { shadow: o.shadow === 'none' ? null : o.shadow } : {}),
    };
    show(Object.keys(change).length ? await client.setRouting(name, change) : await client.routing(name), o.json);
  });

  urlOption(serve.command('promote').description('Send every request that names no version to VERSION.').argument('<name>').argument('<version>')).action(
    async (name: string, version: string, o: { url: string; json?: boolean }) => show(await new V2Client(o.url).promote(name, version), o.json),
  );
  urlOption(serve.command('rollback').description('Restore the routing before the last change.').argument('<name>')).action(async (name: string, o: { url: string; json?: boolean }) =>
    show(await new V2Client(o.url).rollback(name), o.json),
  );
  urlOption(serve.command('status').description('The served models, their versions and readiness.')).action(async (o: { url: string; json?: boolean }) => {
    const client = new V2Client(o.url);
    const index = await client.index();
    if (o.json) printJson({ ready: await client.ready(), models: index });
    else for (const m of index) console.log(`${m.name} ${m.version} ${m.state}${m.reason ? `: ${m.reason}` : ''}`);
  });
}
