/**
 * The REST front end of the Open Inference Protocol (KServe V2) with Triton's binary tensor data and model
 * repository extensions, plus the routing admin endpoints and `/metrics`. Errors are the status code and
 * `{"error": "…"}`; health and readiness are decided by the status code (200 / 503), the body says why.
 */
import * as http from 'node:http';
import { checkDatatype, checkShape, decodeBinary, decodeJsonData, encodeBinary, encodeJsonData } from './codec';
import { modelConfigOf } from './config';
import type { V2Tensor } from './datatypes';
import { ServeError, badRequest } from './errors';
import type { InferRequest, ServerCore } from './core';
import { routingOf } from './config';

type Obj = Record<string, unknown>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class BodyTooLarge extends ServeError {
  constructor(limit: number, size?: number) {
    super('too-large', `the request body${size !== undefined ? ` (${size} bytes)` : ''} is over the limit of ${limit} bytes (--max-body-bytes)`);
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new BodyTooLarge(limit, Number(declared)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new ServeError('bad-request', 'the client closed the connection before sending the whole body')));
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}

function parseJson(bytes: Buffer): Obj {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw badRequest(`malformed JSON in the request body: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw badRequest('the request body must be a JSON object');
  return doc as Obj;
}

const param = (o: Obj | undefined, k: string): unknown => (o?.parameters && typeof o.parameters === 'object' ? (o.parameters as Obj)[k] : undefined);

/** A V2 infer request body (JSON, or JSON header + binary blobs) → the core's request. */
export function decodeInferBody(body: Buffer, headerLength: number | undefined): { id?: string; inputs: V2Tensor[]; outputs?: string[]; binaryOutputs: Set<string> | 'all' } {
  if (headerLength !== undefined && (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength > body.length)) {
    throw badRequest(`Inference-Header-Content-Length is ${headerLength}, but the body has ${body.length} bytes`);
  }
  const doc = parseJson(headerLength === undefined ? body : body.subarray(0, headerLength));
  if (!Array.isArray(doc.inputs) || !doc.inputs.length) throw badRequest("the request needs a non-empty 'inputs' list");
  let offset = headerLength ?? body.length;
  const inputs = (doc.inputs as unknown[]).map((raw, i): V2Tensor => {
    if (raw === null || typeof raw !== 'object') throw badRequest(`inputs[${i}] must be an object`);
    const o = raw as Obj;
    if (typeof o.name !== 'string' || !o.name) throw badRequest(`inputs[${i}] has no 'name'`);
    const name = o.name;
    const datatype = checkDatatype(name, o.datatype);
    const shape = checkShape(name, o.shape);
    const size = param(o, 'binary_data_size');
    if (size !== undefined) {
      if (headerLength === undefined) throw badRequest(`input '${name}' has binary_data_size but the request has no Inference-Header-Content-Length header`);
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || offset + size > body.length) throw badRequest(`input '${name}': binary_data_size ${JSON.stringify(size)} runs past the end of the body`);
      const data = decodeBinary(name, datatype, shape, body.subarray(offset, offset + size));
      offset += size;
      return { name, datatype, shape, data };
    }
    return { name, datatype, shape, data: decodeJsonData(name, datatype, shape, o.data) };
  });
  if (headerLength !== undefined && offset !== body.length) throw badRequest(`the body has ${body.length - offset} bytes after the last binary input`);
  let outputs: string[] | undefined;
  const binary = new Set<string>();
  if (doc.outputs !== undefined) {
    if (!Array.isArray(doc.outputs)) throw badRequest("'outputs' must be a list");
    outputs = (doc.outputs as unknown[]).map((raw, i) => {
      const o = raw as Obj;
      if (!o || typeof o.name !== 'string') throw badRequest(`outputs[${i}] has no 'name'`);
      if (param(o, 'binary_data') === true) binary.add(o.name);
      return o.name;
    });
  }
  const id = doc.id === undefined ? undefined : String(doc.id);
  return { ...(id !== undefined ? { id } : {}), inputs, ...(outputs ? { outputs } : {}), binaryOutputs: param(doc, 'binary_data_output') === true ? 'all' : binary };
}

/** The response: JSON, or (when any output is asked in binary) a JSON header followed by the blobs. */
export function encodeInferResponse(r: { model_name: string; model_version: string; id?: string; outputs: readonly V2Tensor[] }, binary: Set<string> | 'all'): { body: Buffer; headerLength?: number } {
  const blobs: Uint8Array[] = [];
  const outputs = r.outputs.map((t) => {
    if (binary === 'all' || binary.has(t.name)) {
      const b = encodeBinary(t);
      blobs.push(b);
      return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: b.byteLength } };
    }
    return { name: t.name, datatype: t.datatype, shape: t.shape, data: encodeJsonData(t) };
  });
  const header = Buffer.from(JSON.stringify({ model_name: r.model_name, model_version: r.model_version, ...(r.id !== undefined ? { id: r.id } : {}), outputs }));
  if (!blobs.length) return { body: header };
  return { body: Buffer.concat([header, ...blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))]), headerLength: header.length };
}

export interface RestOptions {
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
}

export function createRestServer(core: ServerCore, options: RestOptions): http.Server {
  const server = http.createServer({ requestTimeout: options.requestTimeoutMs, headersTimeout: Math.min(options.requestTimeoutMs, 60_000), connectionsCheckingInterval: Math.max(50, Math.min(1_000, options.requestTimeoutMs / 4)), keepAliveTimeout: 5_000 }, (req, res) => {
    void handle(core, options, req, res);
  });
  return server;
}

async function handle(core: ServerCore, options: RestOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const t0 = process.hrtime.bigint();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  let observed: { model: string; version: string } | undefined;
  try {
    if (url.pathname === '/metrics' && method === 'GET') {
      const text = await core.metrics.text();
      res.writeHead(200, { 'content-type': core.metrics.contentType });
      res.end(text);
      return;
    }
    if (parts[0] !== 'v2') throw new ServeError('not-found', `no such endpoint: ${method} ${url.pathname}`);
    const p = parts.slice(1);
    if (method === 'GET' && p.length === 0) return send(res, 200, core.serverMetadata());
    if (method === 'GET' && p[0] === 'health' && p.length === 2) {
      if (p[1] === 'live') return send(res, 200, { live: true });
      if (p[1] === 'ready') return send(res, core.ready ? 200 : 503, { ready: core.ready, models: core.index() });
    }
    if (p[0] === 'models' && p.length >= 2) {
      const name = p[1]!;
      let rest = p.slice(2);
      let version: string | undefined;
      if (rest[0] === 'versions') {
        if (rest.length < 2) throw new ServeError('not-found', `no such endpoint: ${method} ${url.pathname}`);
        version = rest[1];
        rest = rest.slice(2);
      }
      if (method === 'GET' && rest.length === 0) return send(res, 200, core.modelMetadata(name, version));
      if (method === 'GET' && rest.length === 1 && rest[0] === 'ready') {
        const r = core.modelReady(name, version);
        return send(res, r.ready ? 200 : 503, { name, ...(version !== undefined ? { version } : {}), ready: r.ready, ...(r.reason ? { reason: r.reason } : {}) });
      }
      if (rest.length === 1 && rest[0] === 'infer') {
        if (method !== 'POST') throw new ServeError('bad-request', `infer takes POST, not ${method}`);
        observed = { model: name, version: version ?? '' };
        const body = await readBody(req, options.maxBodyBytes);
        const hl = req.headers['inference-header-content-length'];
        const decoded = decodeInferBody(body, hl === undefined ? undefined : Number(hl));
        const request: InferRequest = {
          model: name,
          ...(version !== undefined ? { version } : {}),
          ...(decoded.id !== undefined ? { id: decoded.id } : {}),
          inputs: decoded.inputs,
          ...(decoded.outputs ? { outputs: decoded.outputs } : {}),
          headers: (h) => {
            const v = req.headers[h];
            return Array.isArray(v) ? v[0] : v;
          },
          protocol: 'rest',
        };
        const r = await core.infer(request);
        observed = { model: name, version: r.model_version };
        const enc = encodeInferResponse({ ...r, outputs: [...r.outputs] }, decoded.binaryOutputs);
        res.writeHead(200, {
          'content-type': enc.headerLength !== undefined ? 'application/octet-stream' : 'application/json',
          'content-length': enc.body.length,
          ...(enc.headerLength !== undefined ? { 'inference-header-content-length': enc.headerLength } : {}),
        });
        res.end(enc.body);
        core.observe(name, r.model_version, 200, 'rest', Number(process.hrtime.bigint() - t0) / 1e9);
        return;
      }
    }
    if (p[0] === 'repository' || p[0] === 'admin') {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new ServeError('forbidden', 'the repository and admin endpoints answer only on the loopback address');
      return await admin(core, options, method, p, req, res);
    }
    throw new ServeError('not-found', `no such endpoint: ${method} ${url.pathname}`);
  } catch (e) {
    const err = e instanceof ServeError ? e : new ServeError('failed', e instanceof Error ? e.message : String(e));
    const close = err instanceof BodyTooLarge;
    if (!res.headersSent) send(res, err.status, { error: err.message }, close);
    if (close) req.destroy();
    if (observed) core.observe(observed.model, (err as { version?: string }).version ?? observed.version, err.status, 'rest', Number(process.hrtime.bigint() - t0) / 1e9);
  }
}

async function admin(core: ServerCore, options: RestOptions, method: string, p: string[], req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = async (): Promise<Obj> => {
    const b = await readBody(req, options.maxBodyBytes);
    return b.length ? parseJson(b) : {};
  };
  if (p[0] === 'repository') {
    if (method === 'POST' && p[1] === 'index' && p.length === 2) return send(res, 200, core.index().map((s) => ({ name: s.model, version: s.version, state: s.state.toUpperCase(), ...(s.reason ? { reason: s.reason } : {}) })));
    if (method === 'POST' && p[1] === 'models' && p.length === 4) {
      const name = p[2]!;
      if (p[3] === 'load') {
        const b = await body();
        const cfgText = param(b, 'config');
        let cfg;
        if (cfgText !== undefined) {
          if (typeof cfgText !== 'string') throw badRequest('parameters.config must be a JSON string');
          let parsed: unknown;
          try {
            parsed = JSON.parse(cfgText);
          } catch (e) {
            throw badRequest(`parameters.config is not JSON: ${(e as Error).message}`);
          }
          cfg = modelConfigOf('load request', { name, ...(parsed as Obj) }, 'config', process.cwd());
        }
        return send(res, 200, { name, versions: await core.load(name, cfg) });
      }
      if (p[3] === 'unload') {
        await core.unload(name);
        return send(res, 200, { name, unloaded: true });
      }
    }
  }
  if (p[0] === 'admin' && p[1] === 'stats' && p.length === 2 && method === 'GET') return send(res, 200, core.liveStats());
  if (p[0] === 'admin' && p[1] === 'models' && p.length === 4) {
    const name = p[2]!;
    if (p[3] === 'routing' && method === 'GET') return send(res, 200, routingJson(core, name));
    if (p[3] === 'routing' && method === 'POST') {
      const b = await body();
      const current = core.routing(name);
      const merged = { split: b.split ?? current.routing.split, sticky_header: 'sticky_header' in b ? b.sticky_header : current.routing.stickyHeader, shadow: 'shadow' in b ? b.shadow : current.routing.shadow };
      core.setRouting(name, routingOf('routing request', merged, 'body', current.versions));
      return send(res, 200, routingJson(core, name));
    }
    if (p[3] === 'promote' && method === 'POST') {
      const b = await body();
      if (b.version === undefined) throw badRequest("promote needs {\"version\": \"…\"}");
      core.promote(name, String(b.version));
      return send(res, 200, routingJson(core, name));
    }
    if (p[3] === 'rollback' && method === 'POST') {
      core.rollback(name);
      return send(res, 200, routingJson(core, name));
    }
  }
  throw new ServeError('not-found', `no such endpoint: ${method} /v2/${p.join('/')}`);
}

function routingJson(core: ServerCore, name: string): unknown {
  const r = core.routing(name);
  const json = (x: typeof r.routing) => ({ split: x.split, sticky_header: x.stickyHeader, shadow: x.shadow });
  return { name, versions: r.versions, ready: r.ready, routing: json(r.routing), history: r.history.map((h) => ({ time: h.time, routing: json(h.routing) })) };
}
