/**
 * The server's configuration: one model from flags, or several from a YAML file (the contract):
 *
 *   host: 127.0.0.1
 *   http_port: 8000
 *   grpc_port: 8001                 # null: no gRPC
 *   registry: .ptp/registry         # optional, for NAME@REF models
 *   log: {path: logs/requests.jsonl, sample: 1.0, log_inputs: true, max_bytes: 67108864, keep: 5}
 *   max_body_bytes: 67108864
 *   models:
 *     - name: digits
 *       versions:
 *         - {version: "1", model: models/digits.onnx}       # a path (relative to this file) or NAME@REF
 *         - {version: "2", model: digits@challenger}
 *       routing: {split: {"1": 90, "2": 10}, sticky_header: x-user-id, shadow: null}
 *       batching: {max_batch_size: 32, max_queue_delay_us: 500, max_queue_size: 1024}
 *       instances: 1
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { BatchingOptions } from './batcher';
import { ServeError } from './errors';
import type { RequestLogOptions } from './request-log';
import { checkRouting, NO_ROUTING, type Routing } from './router';

export interface VersionConfig {
  readonly version: string;
  /** A file path (absolute once loaded) or a registry reference NAME@REF. */
  readonly model: string;
}

export interface ModelConfig {
  readonly name: string;
  readonly versions: readonly VersionConfig[];
  readonly routing: Routing;
  readonly batching: BatchingOptions;
  readonly instances: number;
  /** onnxruntime intra-op threads per instance (0: the cores shared among the instances). */
  readonly threads: number;
}

export interface ServeConfig {
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number | null;
  readonly registry: string;
  readonly log: RequestLogOptions | null;
  readonly maxBodyBytes: number;
  /** A request whose body has not arrived by then is answered 408 and its connection closed. */
  readonly requestTimeoutMs: number;
  readonly models: readonly ModelConfig[];
}

export const DEFAULTS = {
  host: '127.0.0.1',
  httpPort: 8000,
  grpcPort: 8001,
  maxBatchSize: 32,
  maxQueueDelayUs: 500,
  maxQueueSize: 1024,
  instances: 1,
  maxBodyBytes: 64 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  logMaxBytes: 64 * 1024 * 1024,
  logKeep: 5,
} as const;

export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Obj = Record<string, unknown>;

class Reader {
  constructor(private readonly where: string) {}
  fail(at: string, what: string): never {
    throw new ServeError('bad-config', `${this.where}: ${at} ${what}`);
  }
  obj(v: unknown, at: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(at, 'must be a mapping');
    return v as Obj;
  }
  known(o: Obj, at: string, keys: readonly string[]): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail(`${at}.${k}`, `is not a known key (known: ${keys.join(', ')})`);
  }
  int(v: unknown, at: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(at, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  }
  num(v: unknown, at: string, fallback: number, min: number, max: number): number {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) this.fail(at, `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  }
  str(v: unknown, at: string): string {
    if (typeof v !== 'string' || !v) this.fail(at, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }
  bool(v: unknown, at: string, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(at, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
}

/** A port: 0 picks a free one. */
function port(r: Reader, v: unknown, at: string, fallback: number): number {
  return r.int(v, at, fallback, 0, 65535);
}

export function routingOf(r: Reader | string, v: unknown, at: string, versions: readonly string[]): Routing {
  const rd = typeof r === 'string' ? new Reader(r) : r;
  if (v === undefined || v === null) return NO_ROUTING;
  const o = rd.obj(v, at);
  rd.known(o, at, ['split', 'sticky_header', 'shadow']);
  const split: Record<string, number> = {};
  if (o.split !== undefined && o.split !== null) {
    for (const [k, w] of Object.entries(rd.obj(o.split, `${at}.split`))) split[k] = rd.num(w, `${at}.split.${k}`, 0, 0, 1e9);
  }
  const sticky = o.sticky_header === undefined || o.sticky_header === null ? null : rd.str(o.sticky_header, `${at}.sticky_header`);
  const shadow = o.shadow === undefined || o.shadow === null ? null : String(o.shadow);
  return checkRouting({ split, stickyHeader: sticky, shadow }, versions, `${typeof r === 'string' ? r : ''}${at}`.replace(/^:/, ''));
}

/** One `models:` entry (also the `config` parameter of the repository extension's load). */
export function modelConfigOf(where: string, v: unknown, at: string, baseDir: string): ModelConfig {
  const r = new Reader(where);
  const o = r.obj(v, at);
  r.known(o, at, ['name', 'versions', 'model', 'routing', 'batching', 'instances', 'threads']);
  const name = r.str(o.name, `${at}.name`);
  if (!MODEL_NAME.test(name)) r.fail(`${at}.name`, `"${name}" is not a usable model name (letters, digits, ".", "_", "-")`);
  let versions: VersionConfig[];
  if (o.versions !== undefined) {
    if (!Array.isArray(o.versions) || !o.versions.length) r.fail(`${at}.versions`, 'must be a non-empty list');
    versions = (o.versions as unknown[]).map((e, i) => {
      const vo = r.obj(e, `${at}.versions[${i}]`);
      r.known(vo, `${at}.versions[${i}]`, ['version', 'model']);
      const version = vo.version === undefined ? String(i + 1) : String(vo.version);
      if (!/^[A-Za-z0-9._-]+$/.test(version)) r.fail(`${at}.versions[${i}].version`, `"${version}" is not a usable version (letters, digits, ".", "_", "-")`);
      return { version, model: modelPath(r.str(vo.model, `${at}.versions[${i}].model`), baseDir) };
    });
  } else if (o.model !== undefined) {
    versions = [{ version: '1', model: modelPath(r.str(o.model, `${at}.model`), baseDir) }];
  } else {
    return r.fail(at, "needs 'versions' (or a single 'model')");
  }
  const seen = new Set<string>();
  for (const v2 of versions) {
    if (seen.has(v2.version)) r.fail(`${at}.versions`, `lists version "${v2.version}" twice`);
    seen.add(v2.version);
  }
  const b = o.batching === undefined ? {} : r.obj(o.batching, `${at}.batching`);
  r.known(b, `${at}.batching`, ['max_batch_size', 'max_queue_delay_us', 'max_queue_size']);
  return {
    name,
    versions,
    routing: routingOf(r, o.routing, `${at}.routing`, versions.map((x) => x.version)),
    batching: {
      maxBatchSize: r.int(b.max_batch_size, `${at}.batching.max_batch_size`, DEFAULTS.maxBatchSize, 0, 1 << 20),
      maxQueueDelayUs: r.int(b.max_queue_delay_us, `${at}.batching.max_queue_delay_us`, DEFAULTS.maxQueueDelayUs, 0, 60_000_000),
      maxQueueSize: r.int(b.max_queue_size, `${at}.batching.max_queue_size`, DEFAULTS.maxQueueSize, 1, 1 << 20),
    },
    instances: r.int(o.instances, `${at}.instances`, DEFAULTS.instances, 1, 64),
    threads: r.int(o.threads, `${at}.threads`, 0, 0, 256),
  };
}

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9._-]+$/;

/** A model path relative to `baseDir`, or a registry reference as given. */
function modelPath(v: string, baseDir: string): string {
  return REF.test(v) && !v.toLowerCase().endsWith('.onnx') ? v : path.resolve(baseDir, v);
}

/** The configuration in a YAML file. */
export function readConfigFile(file: string, overrides: { registry?: string } = {}): ServeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ServeError('bad-config', `${file}: cannot read the server configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ServeError('bad-config', `${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return configOf(file, doc, path.dirname(path.resolve(file)), overrides);
}

export function configOf(where: string, doc: unknown, baseDir: string, overrides: { registry?: string } = {}): ServeConfig {
  const r = new Reader(where);
  const o = r.obj(doc, 'the document');
  r.known(o, 'the document', ['host', 'http_port', 'grpc_port', 'registry', 'log', 'max_body_bytes', 'request_timeout_ms', 'models']);
  if (!Array.isArray(o.models) || !o.models.length) r.fail('models', 'must be a non-empty list');
  const models = (o.models as unknown[]).map((m, i) => modelConfigOf(where, m, `models[${i}]`, baseDir));
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) r.fail('models', `lists the model "${m.name}" twice`);
    names.add(m.name);
  }
  let log: RequestLogOptions | null = null;
  if (o.log !== undefined && o.log !== null) {
    const l = r.obj(o.log, 'log');
    r.known(l, 'log', ['path', 'sample', 'log_inputs', 'max_bytes', 'keep']);
    log = {
      path: path.resolve(baseDir, r.str(l.path, 'log.path')),
      sample: r.num(l.sample, 'log.sample', 1, 0, 1),
      logInputs: r.bool(l.log_inputs, 'log.log_inputs', true),
      maxBytes: r.int(l.max_bytes, 'log.max_bytes', DEFAULTS.logMaxBytes, 1024),
      keep: r.int(l.keep, 'log.keep', DEFAULTS.logKeep, 1, 1000),
    };
  }
  const grpc = o.grpc_port === null || o.grpc_port === false ? null : port(r, o.grpc_port, 'grpc_port', DEFAULTS.grpcPort);
  return {
    host: o.host === undefined ? DEFAULTS.host : r.str(o.host, 'host'),
    httpPort: port(r, o.http_port, 'http_port', DEFAULTS.httpPort),
    grpcPort: grpc,
    registry: overrides.registry ?? (o.registry === undefined ? path.resolve('.ptp/registry') : path.resolve(baseDir, r.str(o.registry, 'registry'))),
    log,
    maxBodyBytes: r.int(o.max_body_bytes, 'max_body_bytes', DEFAULTS.maxBodyBytes, 1024),
    requestTimeoutMs: r.int(o.request_timeout_ms, 'request_timeout_ms', DEFAULTS.requestTimeoutMs, 100),
    models,
  };
}
