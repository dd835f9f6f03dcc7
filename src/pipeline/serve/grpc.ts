/**
 * The gRPC front end: `inference.GRPCInferenceService` from schema/kserve/grpc_predict_v2.proto (ours, written
 * from the published protocol), on its own port. Inputs come in `raw_input_contents` (or the typed `contents`
 * fields); outputs always go back in `raw_output_contents`, as Triton answers.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { checkDatatype, checkShape, decodeBinary, encodeBinary } from './codec';
import type { ServerCore } from './core';
import { allocate, elementCount, type TensorData, type V2Datatype, type V2Tensor } from './datatypes';
import { ServeError, badRequest } from './errors';

const PROTO = path.join('schema', 'kserve', 'grpc_predict_v2.proto');

/** The .proto file: beside the bundle (dist/ → ../schema) or in the source tree. */
export function protoFile(): string {
  for (const up of ['..', path.join('..', '..', '..')]) {
    const f = path.resolve(__dirname, up, PROTO);
    if (existsSync(f)) return f;
  }
  throw new ServeError('failed', `cannot find ${PROTO} next to ${__dirname}`);
}

export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

export function loadService(): grpc.GrpcObject {
  return grpc.loadPackageDefinition(protoLoader.loadSync(protoFile(), LOADER_OPTIONS));
}

const CODE: Readonly<Record<number, grpc.status>> = {
  400: grpc.status.INVALID_ARGUMENT,
  403: grpc.status.PERMISSION_DENIED,
  404: grpc.status.NOT_FOUND,
  413: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
};

type Obj = Record<string, unknown>;

const CONTENTS: Partial<Record<V2Datatype, string>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

function fromContents(name: string, datatype: V2Datatype, shape: readonly number[], contents: Obj | null | undefined): TensorData {
  const n = elementCount(shape);
  if (datatype === 'FP16') throw badRequest(`input '${name}': FP16 has no typed contents field; send it in raw_input_contents`);
  const field = CONTENTS[datatype]!;
  const values = ((contents?.[field] as unknown[] | undefined) ?? []) as unknown[];
  if (values.length !== n) throw badRequest(`input '${name}': contents.${field} has ${values.length} element(s) but shape [${shape.join(', ')}] needs ${n}`);
  if (datatype === 'BYTES') return values.map((b) => Buffer.from(b as Uint8Array).toString('utf8'));
  const out = allocate(datatype, n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) (out as BigInt64Array)[i] = BigInt(v as number);
    else (out as Float32Array)[i] = datatype === 'BOOL' ? (v ? 1 : 0) : (v as number);
  }
  return out;
}

export function decodeGrpcInputs(req: Obj): V2Tensor[] {
  const inputs = (req.inputs as Obj[] | undefined) ?? [];
  const raw = (req.raw_input_contents as Buffer[] | undefined) ?? [];
  if (!inputs.length) throw badRequest('the request has no inputs');
  if (raw.length && raw.length !== inputs.length) throw badRequest(`raw_input_contents has ${raw.length} entries for ${inputs.length} inputs`);
  return inputs.map((t, i) => {
    const name = String(t.name ?? '');
    if (!name) throw badRequest(`inputs[${i}] has no name`);
    const datatype = checkDatatype(name, t.datatype);
    const shape = checkShape(name, t.shape);
    const data = raw.length ? decodeBinary(name, datatype, shape, raw[i]!) : fromContents(name, datatype, shape, t.contents as Obj);
    return { name, datatype, shape, data };
  });
}

export interface GrpcHandle {
  readonly server: grpc.Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGrpc(core: ServerCore, host: string, port: number, maxMessageBytes: number): Promise<GrpcHandle> {
  const pkg = loadService();
  const service = ((pkg.inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor).service;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes });
  const fail = (cb: grpc.sendUnaryData<unknown>, e: unknown) => {
    const err = e instanceof ServeError ? e : new ServeError('failed', e instanceof Error ? e.message : String(e));
    cb({ code: CODE[err.status] ?? grpc.status.INTERNAL, details: err.message });
    return err;
  };
  const unary =
    (fn: (req: Obj, call: grpc.ServerUnaryCall<Obj, unknown>) => unknown | Promise<unknown>) =>
    (call: grpc.ServerUnaryCall<Obj, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      Promise.resolve()
        .then(() => fn(call.request, call))
        .then((r) => cb(null, r), (e: unknown) => fail(cb, e));
    };
  server.addService(service, {
    ServerLive: unary(() => ({ live: core.live })),
    ServerReady: unary(() => ({ ready: core.ready })),
    ModelReady: unary((r) => ({ ready: core.modelReady(String(r.name), r.version ? String(r.version) : undefined).ready })),
    ServerMetadata: unary(() => core.serverMetadata()),
    ModelMetadata: unary((r) => {
      const m = core.modelMetadata(String(r.name), r.version ? String(r.version) : undefined);
      return { name: m.name, versions: m.versions, platform: m.platform, inputs: m.inputs, outputs: m.outputs };
    }),
    ModelInfer: (call: grpc.ServerUnaryCall<Obj, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const t0 = process.hrtime.bigint();
      const r = call.request;
      const model = String(r.model_name ?? '');
      let version = r.model_version ? String(r.model_version) : '';
      Promise.resolve()
        .then(async () => {
          const inputs = decodeGrpcInputs(r);
          const outputs = ((r.outputs as Obj[] | undefined) ?? []).map((o) => String(o.name));
          const res = await core.infer({
            model,
            ...(version ? { version } : {}),
            ...(r.id ? { id: String(r.id) } : {}),
            inputs,
            ...(outputs.length ? { outputs } : {}),
            headers: (h) => {
              const v = call.metadata.get(h)[0];
              return v === undefined ? undefined : String(v);
            },
            protocol: 'grpc',
          });
          version = res.model_version;
          return {
            model_name: res.model_name,
            model_version: res.model_version,
            id: res.id ?? '',
            outputs: res.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })),
            raw_output_contents: res.outputs.map((o) => {
              const b = encodeBinary(o);
              return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
            }),
          };
        })
        .then(
          (res) => {
            cb(null, res);
            core.observe(model, version, 200, 'grpc', Number(process.hrtime.bigint() - t0) / 1e9);
          },
          (e: unknown) => {
            const err = fail(cb, e);
            core.observe(model, (err as { version?: string }).version ?? version, err.status, 'grpc', Number(process.hrtime.bigint() - t0) / 1e9);
          },
        );
    },
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(new ServeError('bad-config', `cannot listen for gRPC on ${host}:${port}: ${e.message}`)) : resolve(p)));
  });
  return {
    server,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 10_000);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}
