/**
 * A client of the Open Inference Protocol's REST API (ours, Triton's, KServe's): metadata, readiness, infer in JSON
 * or with the binary tensor data extension, and our routing admin endpoints. Errors become ServeErrors naming the
 * endpoint and carrying the server's `error` text.
 */
import { decodeBinary, decodeJsonData, encodeBinary, encodeJsonData } from './codec';
import { isV2Datatype, type V2Datatype, type V2Tensor } from './datatypes';
import { ServeError } from './errors';
import type { TensorSpec } from './signature';
import type { VersionStats } from './stats';

export interface ModelMetadata {
  readonly name: string;
  readonly versions?: readonly string[];
  readonly platform: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Server-specific facts (ptp serve: `class_labels`, a JSON array; `unserved_outputs`). */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface ClientInferResult {
  readonly model_name: string;
  readonly model_version?: string;
  readonly id?: string;
  readonly outputs: readonly V2Tensor[];
}

export class V2Client {
  readonly base: string;

  constructor(
    url: string,
    private readonly options: { readonly timeoutMs?: number; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ServeError('bad-config', `"${url}" is not an endpoint URL (like http://127.0.0.1:8000)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ServeError('bad-config', `"${url}" is not an http(s) URL`);
    this.base = u.toString().replace(/\/+$/, '');
  }

  private async request(method: string, path: string, body?: Uint8Array | string, headers: Record<string, string> = {}): Promise<Response> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...this.options.headers, ...headers, ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: body as string } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ServeError('unavailable', `${method} ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown, ok = [200]): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body));
    const text = await res.text();
    let doc: unknown;
    try {
      doc = text ? JSON.parse(text) : {};
    } catch {
      doc = { error: text.slice(0, 200) };
    }
    if (!ok.includes(res.status)) throw this.error(method, path, res.status, doc);
    return doc as T;
  }

  private error(method: string, path: string, status: number, doc: unknown): ServeError {
    const msg = (doc as { error?: unknown })?.error;
    const code = status === 404 ? 'not-found' : status === 413 ? 'too-large' : status >= 500 ? 'unavailable' : 'bad-request';
    return new ServeError(code, `${method} ${this.base}${path}: ${status}${msg ? ` ${String(msg)}` : ''}`);
  }

  async live(): Promise<boolean> {
    return (await this.request('GET', '/v2/health/live')).status === 200;
  }

  async ready(): Promise<boolean> {
    return (await this.request('GET', '/v2/health/ready')).status === 200;
  }

  serverMetadata(): Promise<{ name: string; version: string; extensions: string[] }> {
    return this.json('GET', '/v2');
  }

  modelMetadata(name: string, version?: string): Promise<ModelMetadata> {
    return this.json('GET', modelPath(name, version));
  }

  /** One inference; `binary` sends inputs and asks outputs in the binary tensor data extension. */
  async infer(name: string, inputs: readonly V2Tensor[], o: { version?: string; id?: string; outputs?: readonly string[]; binary?: boolean; headers?: Record<string, string> } = {}): Promise<ClientInferResult> {
    const path = `${modelPath(name, o.version)}/infer`;
    const blobs: Uint8Array[] = [];
    const header = {
      ...(o.id !== undefined ? { id: o.id } : {}),
      inputs: inputs.map((t) => {
        if (!o.binary) return { name: t.name, datatype: t.datatype, shape: t.shape, data: encodeJsonData(t) };
        const b = encodeBinary(t);
        blobs.push(b);
        return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: b.byteLength } };
      }),
      ...(o.outputs ? { outputs: o.outputs.map((n) => ({ name: n, ...(o.binary ? { parameters: { binary_data: true } } : {}) })) } : {}),
      ...(o.binary ? { parameters: { binary_data_output: true } } : {}),
    };
    const headerText = Buffer.from(JSON.stringify(header));
    const res = o.binary
      ? await this.request('POST', path, Buffer.concat([headerText, ...blobs]), { 'inference-header-content-length': String(headerText.length), 'content-type': 'application/octet-stream', ...o.headers })
      : await this.request('POST', path, headerText.toString(), { ...o.headers });
    const body = Buffer.from(await res.arrayBuffer());
    const hl = res.headers.get('inference-header-content-length');
    const headerLen = hl === null ? body.length : Number(hl);
    let doc: { model_name: string; model_version?: string; id?: string; outputs?: { name: string; datatype: string; shape: number[]; data?: unknown; parameters?: { binary_data_size?: number } }[]; error?: string };
    try {
      doc = JSON.parse(body.subarray(0, headerLen).toString('utf8'));
    } catch {
      throw new ServeError('unavailable', `POST ${this.base}${path}: ${res.status}, and the answer is not JSON`);
    }
    if (res.status !== 200) throw this.error('POST', path, res.status, doc);
    let offset = headerLen;
    const outputs = (doc.outputs ?? []).map((t): V2Tensor => {
      if (!isV2Datatype(t.datatype)) throw new ServeError('unavailable', `${this.base}${path}: output '${t.name}' has unknown datatype ${t.datatype}`);
      const datatype: V2Datatype = t.datatype;
      const size = t.parameters?.binary_data_size;
      if (size !== undefined) {
        const data = decodeBinary(t.name, datatype, t.shape, body.subarray(offset, offset + size));
        offset += size;
        return { name: t.name, datatype, shape: t.shape, data };
      }
      return { name: t.name, datatype, shape: t.shape, data: decodeJsonData(t.name, datatype, t.shape, t.data) };
    });
    return { model_name: doc.model_name, ...(doc.model_version !== undefined ? { model_version: doc.model_version } : {}), ...(doc.id !== undefined ? { id: doc.id } : {}), outputs };
  }

  index(): Promise<{ name: string; version: string; state: string; reason?: string }[]> {
    return this.json('POST', '/v2/repository/index', {});
  }

  load(name: string, config?: unknown): Promise<unknown> {
    return this.json('POST', `/v2/repository/models/${encodeURIComponent(name)}/load`, config === undefined ? {} : { parameters: { config: JSON.stringify(config) } });
  }

  unload(name: string): Promise<unknown> {
    return this.json('POST', `/v2/repository/models/${encodeURIComponent(name)}/unload`, {});
  }

  /** Live numbers per version (ptp serve only). */
  stats(): Promise<{ in_flight: number; models: LiveModelStats[] }> {
    return this.json('GET', '/v2/admin/stats');
  }

  routing(name: string): Promise<RoutingInfo> {
    return this.json('GET', `/v2/admin/models/${encodeURIComponent(name)}/routing`);
  }

  setRouting(name: string, change: { split?: Record<string, number>; sticky_header?: string | null; shadow?: string | null }): Promise<RoutingInfo> {
    return this.json('POST', `/v2/admin/models/${encodeURIComponent(name)}/routing`, change);
  }

  promote(name: string, version: string): Promise<RoutingInfo> {
    return this.json('POST', `/v2/admin/models/${encodeURIComponent(name)}/promote`, { version });
  }

  rollback(name: string): Promise<RoutingInfo> {
    return this.json('POST', `/v2/admin/models/${encodeURIComponent(name)}/rollback`, {});
  }
}

export interface LiveModelStats {
  readonly name: string;
  readonly versions: readonly VersionStats[];
  readonly ready: readonly string[];
  readonly split: Readonly<Record<string, number>>;
  readonly sticky_header: string | null;
  readonly shadow: string | null;
  readonly queue_depth: Readonly<Record<string, number>>;
}

export interface RoutingInfo {
  readonly name: string;
  readonly versions: string[];
  readonly ready: string[];
  readonly routing: { split: Record<string, number>; sticky_header: string | null; shadow: string | null };
  readonly history: { time: string; routing: RoutingInfo['routing'] }[];
}

function modelPath(name: string, version?: string): string {
  return `/v2/models/${encodeURIComponent(name)}${version !== undefined ? `/versions/${encodeURIComponent(version)}` : ''}`;
}
