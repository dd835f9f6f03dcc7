/**
 * The protocol-independent server: the served models and versions, their readiness, routing, batching,
 * metrics and request log. The REST and gRPC front ends decode a request into `InferRequest`, call `infer`, and
 * encode the answer; every refusal is a ServeError carrying its HTTP status.
 */
import { availableParallelism } from 'node:os';
import { Registry, isRegistryRef } from '../registry';
import { TOOL_VERSION } from '../shared/version';
import { Batcher } from './batcher';
import type { ModelConfig, ServeConfig, VersionConfig } from './config';
import type { V2Tensor } from './datatypes';
import { ServeError, badRequest } from './errors';
import { InstancePool } from './instance-pool';
import type { ServeMetrics } from './metrics';
import type { RequestLog } from './request-log';
import { Router, checkRouting, type Routing } from './router';
import { readSignature, servedFile, type ModelSignature, type ServedFile, type TensorSpec } from './signature';
import { LiveStats, type VersionStats } from './stats';

export type VersionState = 'loading' | 'ready' | 'failed' | 'unavailable';
export type Protocol = 'rest' | 'grpc';

export interface InferRequest {
  readonly model: string;
  readonly version?: string;
  readonly id?: string;
  readonly inputs: readonly V2Tensor[];
  /** Outputs to return (default all). */
  readonly outputs?: readonly string[];
  /** The sticky header's value, when the model routes by one and the request carries it. */
  readonly headers?: (name: string) => string | undefined;
  readonly protocol: Protocol;
}

export interface InferResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly id?: string;
  readonly outputs: readonly V2Tensor[];
}

export interface VersionStatus {
  readonly model: string;
  readonly version: string;
  readonly state: VersionState;
  readonly reason?: string;
  readonly file?: string;
  readonly source: string;
}

export const EXTENSIONS = ['binary_tensor_data', 'model_repository', 'metrics', 'ptp_routing'] as const;

class ServedVersion {
  state: VersionState = 'loading';
  reason: string | undefined;
  file: string | undefined;
  served: ServedFile | undefined;
  signature: ModelSignature | undefined;
  pool: InstancePool | undefined;
  batcher: Batcher | undefined;

  constructor(
    readonly model: string,
    readonly config: VersionConfig,
  ) {}

  async load(m: ModelConfig, registryDir: string, metrics: ServeMetrics, stats: LiveStats): Promise<void> {
    try {
      let file = this.config.model;
      if (isRegistryRef(file)) file = (await Registry.at(registryDir).resolve(file)).file;
      this.file = file;
      this.served = await servedFile(file);
      const signature = await readSignature(this.served.file);
      this.signature = this.served.classLabels ? { ...signature, classLabels: this.served.classLabels } : signature;
      const threads = m.threads > 0 ? m.threads : Math.max(1, Math.floor(availableParallelism() / m.instances));
      const labels = { model: this.model, version: this.config.version };
      this.pool = await InstancePool.start(this.served.file, m.instances, threads, () => this.batcher?.pump());
      this.batcher = new Batcher(this.pool, m.batching, this.signature.batchable, this.signature.outputs.map((o) => o.name), {
        onBatch: (rows) => {
          metrics.batchSize.observe(labels, rows);
          stats.batch(this.model, this.config.version, rows);
        },
        onDepth: (d) => metrics.queueDepth.set(labels, d),
      });
      this.state = 'ready';
      metrics.ready.set(labels, 1);
      // The answered-request series start at 0 (Prometheus' advice: initialise metrics), so increase() and rate()
      // count a version's first requests too — a series born with its first burst would hide that burst.
      for (const protocol of ['rest', 'grpc'] as const) metrics.requests.inc({ ...labels, status: '200', protocol }, 0);
      metrics.requestDuration.zero(labels);
    } catch (e) {
      this.state = 'failed';
      this.reason = e instanceof Error ? e.message : String(e);
      await this.served?.dispose().catch(() => undefined);
      this.served = undefined;
      metrics.ready.set({ model: this.model, version: this.config.version }, 0);
    }
  }

  /** Waits until nothing of this version is queued or running, then stops its instances. */
  async retire(): Promise<void> {
    this.batcher?.close();
    const until = Date.now() + 60_000;
    while (this.pool && (this.batcher?.depth || this.pool.busyCount) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await this.pool?.close();
    await this.served?.dispose();
  }

  status(): VersionStatus {
    return { model: this.model, version: this.config.version, state: this.state, ...(this.reason ? { reason: this.reason } : {}), ...(this.file ? { file: this.file } : {}), source: this.config.model };
  }
}

interface RoutingChange {
  readonly time: string;
  readonly routing: Routing;
}

class ServedModel {
  readonly router: Router;
  readonly history: RoutingChange[] = [];

  constructor(
    readonly config: ModelConfig,
    readonly versions: ReadonlyMap<string, ServedVersion>,
  ) {
    this.router = new Router(config.routing);
    this.history.push({ time: new Date().toISOString(), routing: config.routing });
  }

  /** Ready versions, newest first (numeric versions by number, others by their order in the config, last first). */
  ready(): string[] {
    const list = [...this.versions.values()].filter((v) => v.state === 'ready').map((v) => v.config.version);
    const order = this.config.versions.map((v) => v.version);
    return list.sort((a, b) => {
      const na = Number(a);
      const nb = Number(b);
      if (Number.isFinite(na) && Number.isFinite(nb)) return nb - na;
      return order.indexOf(b) - order.indexOf(a);
    });
  }
}

function checkInputs(specs: readonly TensorSpec[], given: readonly V2Tensor[], where: string): V2Tensor[] {
  const byName = new Map<string, V2Tensor>();
  for (const t of given) {
    if (byName.has(t.name)) throw badRequest(`input '${t.name}' is given twice`);
    if (!specs.some((s) => s.name === t.name)) throw badRequest(`unknown input '${t.name}' for ${where} (inputs: ${specs.map((s) => s.name).join(', ')})`);
    byName.set(t.name, t);
  }
  return specs.map((s) => {
    const t = byName.get(s.name);
    if (!t) throw badRequest(`input '${s.name}' is missing (${where} takes ${specs.map((x) => `${x.name} ${x.datatype} [${x.shape.join(', ')}]`).join(', ')})`);
    if (t.datatype !== s.datatype) throw badRequest(`input '${s.name}' has datatype ${t.datatype}, but ${where} takes ${s.datatype}`);
    const fits = s.shape.length === 0 ? t.shape.length === 0 || (t.shape.length === 1 && t.shape[0] === 1) : t.shape.length === s.shape.length && s.shape.every((d, i) => d < 0 || d === t.shape[i]);
    if (!fits) throw badRequest(`input '${s.name}' has shape [${t.shape.join(', ')}], but ${where} takes [${s.shape.join(', ')}] (-1: any size)`);
    return s.shape.length === 0 && t.shape.length ? { ...t, shape: [] } : t;
  });
}

export class ServerCore {
  private models = new Map<string, ServedModel>();
  /** Models unloaded through the repository API, with the configuration (and routing) a bare `load` brings back. */
  private readonly unloaded = new Map<string, ModelConfig>();
  private inFlight = 0;
  private readonly stats = new LiveStats();
  private draining = false;

  constructor(
    readonly config: ServeConfig,
    readonly metrics: ServeMetrics,
    private readonly log: RequestLog | null,
  ) {}

  /** Loads every configured model; a version that fails to load is reported as failed, the others serve. */
  async start(): Promise<VersionStatus[]> {
    await Promise.all(this.config.models.map((m) => this.loadModel(m)));
    return this.index();
  }

  private async loadModel(m: ModelConfig): Promise<ServedModel> {
    const versions = new Map(m.versions.map((v) => [v.version, new ServedVersion(m.name, v)]));
    await Promise.all([...versions.values()].map((v) => v.load(m, this.config.registry, this.metrics, this.stats)));
    const served = new ServedModel(m, versions);
    this.setWeights(served);
    return served;
  }

  private setWeights(m: ServedModel): void {
    const split = m.router.config.split;
    const total = Object.values(split).reduce((a, w) => a + w, 0);
    const ready = m.ready();
    for (const v of m.versions.keys()) {
      const w = total > 0 ? (100 * (split[v] ?? 0)) / total : v === ready[0] ? 100 : 0;
      this.metrics.splitWeight.set({ model: m.config.name, version: v }, w);
    }
    this.models.set(m.config.name, m);
  }

  index(): VersionStatus[] {
    const unloaded = [...this.unloaded.values()].flatMap((c) =>
      c.versions.map((v): VersionStatus => ({ model: c.name, version: v.version, state: 'unavailable', reason: 'unloaded', source: v.model })),
    );
    return [...[...this.models.values()].flatMap((m) => [...m.versions.values()].map((v) => v.status())), ...unloaded];
  }

  get live(): boolean {
    return true;
  }

  /** Ready when every model has a ready version and the server is not draining. */
  get ready(): boolean {
    return !this.draining && this.models.size > 0 && [...this.models.values()].every((m) => m.ready().length > 0);
  }

  serverMetadata(): { name: string; version: string; extensions: string[] } {
    return { name: 'ptp', version: TOOL_VERSION, extensions: [...EXTENSIONS] };
  }

  private model(name: string): ServedModel {
    const m = this.models.get(name);
    if (!m) throw new ServeError('not-found', `unknown model "${name}" (served: ${[...this.models.keys()].join(', ') || 'none'})`);
    return m;
  }

  private version(m: ServedModel, version: string): ServedVersion {
    const v = m.versions.get(version);
    if (!v) throw new ServeError('not-found', `model "${m.config.name}" has no version "${version}" (versions: ${[...m.versions.keys()].join(', ')})`);
    return v;
  }

  modelMetadata(name: string, version?: string): { name: string; versions: string[]; platform: string; inputs: TensorSpec[]; outputs: TensorSpec[]; parameters?: Record<string, unknown> } {
    const m = this.model(name);
    const v = version !== undefined ? this.version(m, version) : m.versions.get(m.ready()[0] ?? '') ?? [...m.versions.values()][0]!;
    if (!v.signature) throw new ServeError('unavailable', `version ${v.config.version} of model "${name}" is not ready: ${v.reason ?? v.state}`);
    return {
      name,
      versions: [...m.versions.keys()],
      platform: 'onnxruntime_onnx',
      inputs: [...v.signature.inputs],
      outputs: [...v.signature.outputs],
      ...(v.signature.skippedOutputs.length || v.signature.classLabels
        ? {
            parameters: {
              ...(v.signature.skippedOutputs.length ? { unserved_outputs: v.signature.skippedOutputs.join(',') } : {}),
              ...(v.signature.classLabels ? { class_labels: JSON.stringify(v.signature.classLabels) } : {}),
            },
          }
        : {}),
    };
  }

  /** Whether the model (some version) or the named version is ready; the reason when not. */
  modelReady(name: string, version?: string): { ready: boolean; reason?: string } {
    const m = this.model(name);
    if (version === undefined) return m.ready().length ? { ready: true } : { ready: false, reason: `no version of "${name}" is ready` };
    const v = this.version(m, version);
    return v.state === 'ready' ? { ready: true } : { ready: false, reason: v.reason ?? v.state };
  }

  async infer(req: InferRequest): Promise<InferResponse> {
    const t0 = process.hrtime.bigint();
    this.inFlight++;
    let versionLabel = req.version ?? '';
    try {
      if (this.draining) throw new ServeError('unavailable', 'the server is shutting down');
      const m = this.model(req.model);
      const sticky = m.router.config.stickyHeader ? req.headers?.(m.router.config.stickyHeader) : undefined;
      const chosen = req.version !== undefined ? req.version : m.router.pick(m.ready(), sticky);
      versionLabel = chosen;
      const v = this.version(m, chosen);
      if (v.state !== 'ready' || !v.batcher || !v.signature) throw new ServeError('unavailable', `version ${chosen} of model "${req.model}" is not ready: ${v.reason ?? v.state}`);
      const where = `model "${req.model}" version ${chosen}`;
      const inputs = checkInputs(v.signature.inputs, req.inputs, where);
      const wanted = req.outputs?.length ? req.outputs : undefined;
      for (const o of wanted ?? []) {
        if (!v.signature.outputs.some((s) => s.name === o)) throw badRequest(`unknown output '${o}' for ${where} (outputs: ${v.signature.outputs.map((s) => s.name).join(', ')})`);
      }
      const shadow = req.version === undefined ? m.router.config.shadow : null;
      const sampled = this.log?.sampled() ?? false;
      if (shadow && shadow !== chosen) this.mirror(m, shadow, req, sampled);
      const { outputs, timing } = await v.batcher.submit(inputs);
      const labels = { model: req.model, version: chosen };
      this.metrics.queueDuration.observe(labels, timing.queueSeconds);
      this.metrics.computeDuration.observe(labels, timing.computeSeconds);
      this.metrics.rows.inc(labels, inputs[0]?.shape[0] ?? 1);
      this.stats.rows(req.model, chosen, inputs[0]?.shape[0] ?? 1);
      const returned = wanted ? wanted.map((n) => outputs.find((o) => o.name === n)!) : outputs;
      const response: InferResponse = { model_name: req.model, model_version: chosen, ...(req.id !== undefined ? { id: req.id } : {}), outputs: returned };
      if (sampled) this.log!.write({ time: new Date().toISOString(), id: req.id ?? null, model: req.model, version: chosen, arm: 'primary', status: 200, latency_ms: Number(process.hrtime.bigint() - t0) / 1e6, inputs, outputs });
      return response;
    } catch (e) {
      const err = e instanceof ServeError ? e : new ServeError('failed', e instanceof Error ? e.message : String(e));
      if (this.log?.sampled() && req.inputs.length) {
        this.log.write({ time: new Date().toISOString(), id: req.id ?? null, model: req.model, version: versionLabel, arm: 'primary', status: err.status, latency_ms: Number(process.hrtime.bigint() - t0) / 1e6, inputs: [], outputs: [], error: err.message });
      }
      throw Object.assign(err, { version: versionLabel });
    } finally {
      this.inFlight--;
    }
  }

  /** Sends a copy of the request to the shadow version; its answer is logged and counted, never returned. */
  private mirror(m: ServedModel, shadow: string, req: InferRequest, sampled: boolean): void {
    const v = m.versions.get(shadow);
    const labels = { model: req.model, version: shadow };
    if (!v || v.state !== 'ready' || !v.batcher || !v.signature) {
      this.metrics.shadow.inc({ ...labels, outcome: 'not-ready' });
      return;
    }
    const t0 = process.hrtime.bigint();
    let inputs: V2Tensor[];
    try {
      inputs = checkInputs(v.signature.inputs, req.inputs, `model "${req.model}" version ${shadow}`);
    } catch {
      this.metrics.shadow.inc({ ...labels, outcome: 'refused' });
      return;
    }
    this.inFlight++;
    v.batcher.submit(inputs).then(
      ({ outputs }) => {
        this.metrics.shadow.inc({ ...labels, outcome: 'ok' });
        this.stats.shadow(req.model, shadow);
        if (sampled) this.log!.write({ time: new Date().toISOString(), id: req.id ?? null, model: req.model, version: shadow, arm: 'shadow', status: 200, latency_ms: Number(process.hrtime.bigint() - t0) / 1e6, inputs, outputs });
      },
      (e: unknown) => {
        this.metrics.shadow.inc({ ...labels, outcome: 'failed' });
        if (sampled) this.log!.write({ time: new Date().toISOString(), id: req.id ?? null, model: req.model, version: shadow, arm: 'shadow', status: e instanceof ServeError ? e.status : 500, latency_ms: Number(process.hrtime.bigint() - t0) / 1e6, inputs, outputs: [], error: (e as Error).message });
      },
    ).finally(() => this.inFlight--);
  }

  /** Counts one answered request (called by the front ends, which know the status and the total time). */
  observe(model: string, version: string, status: number, protocol: Protocol, seconds: number): void {
    // Names a client made up (unknown model or version) share one label value, so label cardinality stays bounded.
    const known = this.models.get(model)?.versions.has(version) ?? false;
    const m = known || this.models.has(model) ? model : '(unknown)';
    const v = known ? version : '';
    const labels = { model: m, version: v, status: String(status), protocol };
    this.metrics.requests.inc(labels);
    if (status !== 200) this.metrics.failures.inc(labels);
    this.metrics.requestDuration.observe({ model: m, version: v }, seconds);
    if (known) this.stats.request(model, version, status === 200, seconds);
  }

  /** Live numbers per served version, with each model's routing. */
  liveStats(): { in_flight: number; models: { name: string; versions: VersionStats[]; ready: string[]; split: Record<string, number>; sticky_header: string | null; shadow: string | null; queue_depth: Record<string, number> }[] } {
    return {
      in_flight: this.inFlight,
      models: [...this.models.values()].map((m) => ({
        name: m.config.name,
        versions: this.stats.snapshot([...m.versions.keys()].map((version) => ({ model: m.config.name, version }))),
        ready: m.ready(),
        split: m.router.config.split,
        sticky_header: m.router.config.stickyHeader,
        shadow: m.router.config.shadow,
        queue_depth: Object.fromEntries([...m.versions].map(([k, v]) => [k, v.batcher?.depth ?? 0])),
      })),
    };
  }

  // --- the repository extension and routing (admin) ---

  /** (Re)loads a model: the given config (a `models:` entry) or its current one with registry references resolved again. A reload that fails entirely keeps the old versions serving. */
  async load(name: string, config?: ModelConfig): Promise<VersionStatus[]> {
    const old = this.models.get(name);
    const cfg = config ?? (old ? { ...old.config, routing: old.router.config } : this.unloaded.get(name));
    if (!cfg) throw new ServeError('not-found', `unknown model "${name}": give its configuration in parameters.config to load it`);
    if (cfg.name !== name) throw badRequest(`the configuration names model "${cfg.name}", not "${name}"`);
    const versions = new Map(cfg.versions.map((v) => [v.version, new ServedVersion(name, v)]));
    await Promise.all([...versions.values()].map((v) => v.load(cfg, this.config.registry, this.metrics, this.stats)));
    const loaded = [...versions.values()];
    if (old && !loaded.some((v) => v.state === 'ready')) {
      await Promise.all(loaded.map((v) => v.retire()));
      throw badRequest(`reloading "${name}" failed (${loaded.map((v) => `version ${v.config.version}: ${v.reason}`).join('; ')}); the loaded versions keep serving`);
    }
    const served = new ServedModel(cfg, versions);
    this.unloaded.delete(name);
    // The routing history survives a reload: without a new configuration, the routing in force stays.
    if (old) served.history.splice(0, served.history.length, ...old.history, ...(config ? served.history : []));
    this.setWeights(served);
    if (old) void Promise.all([...old.versions.values()].map((v) => v.retire()));
    return loaded.map((v) => v.status());
  }

  async unload(name: string): Promise<void> {
    const m = this.model(name);
    this.models.delete(name);
    this.unloaded.set(name, { ...m.config, routing: m.router.config });
    for (const v of m.versions.keys()) this.metrics.ready.set({ model: name, version: v }, 0);
    await Promise.all([...m.versions.values()].map((v) => v.retire()));
  }

  routing(name: string): { routing: Routing; history: readonly RoutingChange[]; ready: string[]; versions: string[] } {
    const m = this.model(name);
    return { routing: m.router.config, history: m.history, ready: m.ready(), versions: [...m.versions.keys()] };
  }

  /** Changes the split / sticky header / shadow of a model without a restart (recorded in its history). */
  setRouting(name: string, change: Partial<Routing>): Routing {
    const m = this.model(name);
    const next = checkRouting({ ...m.router.config, ...change }, [...m.versions.keys()], `routing of "${name}"`);
    m.router.set(next);
    m.history.push({ time: new Date().toISOString(), routing: next });
    this.setWeights(m);
    return next;
  }

  /** Sends every request that names no version to `version`. */
  promote(name: string, version: string): Routing {
    const m = this.model(name);
    const v = this.version(m, version);
    if (v.state !== 'ready') throw new ServeError('unavailable', `version ${version} of "${name}" is not ready: ${v.reason ?? v.state}`);
    return this.setRouting(name, { split: { [version]: 100 }, shadow: m.router.config.shadow === version ? null : m.router.config.shadow });
  }

  /** Restores the routing before the last change. */
  rollback(name: string): Routing {
    const m = this.model(name);
    if (m.history.length < 2) throw badRequest(`model "${name}" has no earlier routing to roll back to`);
    m.history.pop();
    const prev = m.history.at(-1)!.routing;
    m.router.set(prev);
    this.setWeights(m);
    return prev;
  }

  /** Stops taking requests and waits (up to `timeoutMs`) for those in flight. */
  async drain(timeoutMs = 30_000): Promise<void> {
    this.draining = true;
    const until = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }

  async close(): Promise<void> {
    await Promise.all([...this.models.values()].flatMap((m) => [...m.versions.values()].map((v) => v.retire())));
    this.models.clear();
    await this.log?.close();
  }
}
