/**
 * The workspace model registry: a folder of JSON records and model files (layout in types.ts), safe under
 * concurrent writers (one lock, lock.ts) and crashes (a version is staged in a hidden folder and renamed into place;
 * records are written to a temp file and renamed), content-addressed per model name (registering a file whose
 * sha256 is already a version of that name returns that version), with lineage found through the `ptp.lineage`
 * metadata of the registered file. No vscode: the CLI and the extension's worker both call it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import * as path from 'node:path';
import { inspect, openModel, OnnxError } from '../../core';
import type { EvaluateResult } from '../../protocol/evaluate';
import type { OperationContext } from '../operation';
import { readLineage, sha256File } from '../shared/lineage';
import { withLock, type LockOptions } from '../shared/lock';
import { RegistryError } from './errors';
import { checkName, formatRef, parseRef } from './refs';
import {
  REGISTRY_FORMAT,
  REGISTRY_FORMAT_VERSION,
  type AliasMove,
  type Approval,
  type EvaluationRecord,
  type ModelRecord,
  type ParsedRef,
  type VersionRecord,
  type VersionRef,
} from './types';

/** The default registry folder, relative to the workspace (VS Code) or the current directory (CLI). */
export const DEFAULT_REGISTRY_DIR = path.join('.ptp', 'registry');

export interface AddOptions {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly description?: string;
}

/** What `ptp registry add --json` prints. */
export interface AddResult {
  readonly name: string;
  readonly version: number;
  readonly sha256: string;
  readonly size_bytes: number;
  readonly created: string;
  readonly parent: VersionRef | null;
  readonly lineage: { readonly operation: string; readonly params: Readonly<Record<string, unknown>> } | null;
  readonly aliases: readonly string[];
  /** True when the file was already this version (nothing was copied). */
  readonly existing: boolean;
  /** The stored model file. */
  readonly file: string;
}

/** A resolved reference: the records and the stored model file (absolute). */
export interface Resolved {
  readonly model: ModelRecord;
  readonly version: VersionRecord;
  readonly file: string;
}

export interface LineageLink {
  readonly name: string | null;
  readonly version: number | null;
  readonly sha256: string;
  /** The operation that made this link from the next one (null at the root). */
  readonly operation: string | null;
  readonly params: Readonly<Record<string, unknown>> | null;
}

/** Who is acting, for alias history and approvals: $PTP_USER, else the OS user name. */
export function actor(): string {
  if (process.env.PTP_USER) return process.env.PTP_USER;
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return 'unknown';
  }
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new RegistryError('corrupt', `${file}: cannot read the registry record (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new RegistryError('corrupt', `${file}: the registry record is not valid JSON (${(e as Error).message}).`);
  }
}

const versionNumbers = async (dir: string): Promise<number[]> => {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((d) => /^[1-9]\d*$/.test(d)).map(Number).sort((a, b) => a - b);
};

export class Registry {
  private constructor(readonly root: string) {}

  /** The registry at `dir` (created on the first write; reading an absent registry finds no models). */
  static at(dir: string): Registry {
    return new Registry(path.resolve(dir));
  }

  private get lockFile(): string {
    return path.join(this.root, '.lock');
  }
  modelDir(name: string): string {
    return path.join(this.root, 'models', name);
  }
  versionDir(name: string, version: number): string {
    return path.join(this.modelDir(name), 'versions', String(version));
  }

  private async ensure(): Promise<void> {
    await mkdir(path.join(this.root, 'models'), { recursive: true });
    const marker = path.join(this.root, 'registry.json');
    if (!existsSync(marker)) await writeJsonAtomic(marker, { format: REGISTRY_FORMAT, format_version: REGISTRY_FORMAT_VERSION });
  }

  private locked<T>(fn: () => Promise<T>, options?: LockOptions): Promise<T> {
    const busy = (file: string) => new RegistryError('locked', `The registry is locked by another process (${file}); try again, or remove the file if no ptp process is running.`);
    return this.ensure().then(() => withLock(this.lockFile, fn, { busy, ...options }));
  }

  /** Every model name, sorted. */
  async names(): Promise<string[]> {
    const dir = path.join(this.root, 'models');
    if (!existsSync(dir)) return [];
    const names: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory() && existsSync(path.join(dir, e.name, 'model.json'))) names.push(e.name);
    return names.sort();
  }

  async model(name: string): Promise<ModelRecord> {
    checkName(name, 'model name');
    const file = path.join(this.modelDir(name), 'model.json');
    if (!existsSync(file)) {
      const known = await this.names();
      throw new RegistryError('unknown-model', `No model named "${name}" in the registry ${this.root}${known.length ? ` (it has ${known.join(', ')})` : ' (it is empty)'}.`);
    }
    return readJson<ModelRecord>(file);
  }

  async versions(name: string): Promise<VersionRecord[]> {
    const out: VersionRecord[] = [];
    for (const v of await versionNumbers(path.join(this.modelDir(name), 'versions'))) out.push(await readJson<VersionRecord>(path.join(this.versionDir(name, v), 'version.json')));
    return out;
  }

  /** NAME, NAME@VERSION or NAME@ALIAS → the version and its stored file. */
  async resolve(ref: string | ParsedRef): Promise<Resolved> {
    const parsed = typeof ref === 'string' ? parseRef(ref) : ref;
    const model = await this.model(parsed.name);
    const numbers = await versionNumbers(path.join(this.modelDir(parsed.name), 'versions'));
    let version: number | undefined;
    if (parsed.ref === undefined) version = numbers.at(-1);
    else if (typeof parsed.ref === 'number') version = numbers.includes(parsed.ref) ? parsed.ref : undefined;
    else {
      version = model.aliases[parsed.ref];
      if (version === undefined) {
        const aliases = Object.keys(model.aliases);
        throw new RegistryError('unknown-alias', `Model "${parsed.name}" has no alias "${parsed.ref}"${aliases.length ? ` (its aliases: ${aliases.join(', ')})` : ' (it has no aliases)'}.`);
      }
    }
    if (version === undefined) {
      const what = parsed.ref === undefined ? 'has no versions' : `has no version ${parsed.ref}`;
      throw new RegistryError('unknown-version', `Model "${parsed.name}" ${what}${numbers.length ? ` (versions: ${numbers.join(', ')})` : ''}.`);
    }
    const record = await readJson<VersionRecord>(path.join(this.versionDir(parsed.name, version), 'version.json'));
    return { model, version: record, file: path.join(this.versionDir(parsed.name, version), record.file) };
  }

  /** The version of any model whose file has this sha256 (same name first), or null. */
  async findBySha(sha256: string, preferName?: string): Promise<VersionRef | null> {
    const names = await this.names();
    const ordered = preferName && names.includes(preferName) ? [preferName, ...names.filter((n) => n !== preferName)] : names;
    for (const name of ordered) {
      for (const v of await this.versions(name)) if (v.sha256 === sha256) return { name, version: v.version };
    }
    return null;
  }

  /**
   * Registers `file` as a new version of `options.name` (or returns the version that already has its sha256),
   * copying the model and its external data into the registry; aliases given are pointed at it.
   */
  async add(file: string, options: AddOptions, ctx: OperationContext = {}): Promise<AddResult> {
    checkName(options.name, 'model name');
    for (const a of options.aliases ?? []) checkName(a, 'alias');
    const source = path.resolve(file);
    ctx.onProgress?.({ message: `reading ${path.basename(source)}…` });
    const { externalFiles, lineage } = await describeModel(source);
    const sha256 = await sha256File(source, ctx.signal);
    let size = (await stat(source)).size;
    for (const f of externalFiles) size += (await stat(path.join(path.dirname(source), f))).size;

    return this.locked(async () => {
      ctx.signal?.throwIfAborted();
      const modelFile = path.join(this.modelDir(options.name), 'model.json');
      const now = new Date().toISOString();
      let model: ModelRecord = existsSync(modelFile)
        ? await readJson<ModelRecord>(modelFile)
        : { name: options.name, description: '', tags: {}, aliases: {}, alias_history: [], created: now, next_version: 1 };
      const versionsDir = path.join(this.modelDir(options.name), 'versions');
      await mkdir(versionsDir, { recursive: true });
      await removeAbandonedStaging(versionsDir);

      const existing = (await this.versions(options.name)).find((v) => v.sha256 === sha256);
      let record: VersionRecord;
      if (existing) {
        record = existing;
      } else {
        const numbers = await versionNumbers(versionsDir);
        const version = Math.max(model.next_version ?? 1, (numbers.at(-1) ?? 0) + 1);
        const parent = lineage ? await this.findBySha(lineage.parent_sha256, options.name) : null;
        record = {
          name: options.name,
          version,
          sha256,
          size_bytes: size,
          created: now,
          source,
          file: 'model.onnx',
          external_data: externalFiles,
          parent,
          parent_sha256: lineage?.parent_sha256 ?? null,
          lineage: lineage ? { operation: lineage.operation, params: lineage.params, ...(lineage.tool_version ? { tool_version: lineage.tool_version } : {}) } : null,
          description: options.description ?? '',
          tags: { ...(options.tags ?? {}) },
          approvals: [],
        };
        const staging = path.join(versionsDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
        try {
          await mkdir(staging);
          ctx.onProgress?.({ message: `copying ${path.basename(source)} into the registry as ${formatRef(options.name, version)}…` });
          await copyFile(source, path.join(staging, 'model.onnx'));
          for (const f of externalFiles) {
            await mkdir(path.dirname(path.join(staging, f)), { recursive: true });
            await copyFile(path.join(path.dirname(source), f), path.join(staging, f));
          }
          // Stored files are read-only: a registered version never changes (the sha256 in its record stays true).
          for (const f of ['model.onnx', ...externalFiles]) await chmod(path.join(staging, f), 0o444);
          if ((await sha256File(path.join(staging, 'model.onnx'))) !== sha256) throw new RegistryError('corrupt', `${source} changed while it was being registered; register it again.`);
          await writeJsonAtomic(path.join(staging, 'version.json'), record);
          ctx.signal?.throwIfAborted();
          await rename(staging, this.versionDir(options.name, version));
        } catch (e) {
          await rm(staging, { recursive: true, force: true });
          throw e;
        }
        model = { ...model, next_version: version + 1, ...(options.description && !model.description ? { description: options.description } : {}) };
      }
      const moves: AliasMove[] = [];
      const aliases = { ...model.aliases };
      for (const alias of options.aliases ?? []) {
        const from = aliases[alias] ?? null;
        if (from === record.version) continue;
        aliases[alias] = record.version;
        moves.push({ alias, from, to: record.version, by: actor(), at: now });
      }
      model = { ...model, aliases, alias_history: [...model.alias_history, ...moves] };
      await writeJsonAtomic(modelFile, model);
      return {
        name: record.name,
        version: record.version,
        sha256: record.sha256,
        size_bytes: record.size_bytes,
        created: record.created,
        parent: record.parent,
        lineage: record.lineage ? { operation: record.lineage.operation, params: record.lineage.params } : null,
        aliases: Object.entries(aliases).filter(([, v]) => v === record.version).map(([a]) => a).sort(),
        existing: !!existing,
        file: path.join(this.versionDir(record.name, record.version), record.file),
      };
    });
  }

  /**
   * Records an approval with the version it promotes (a pipeline's approve stage, by whom and when); the version's
   * files stay as they are, only its record gains the entry. Returns the record's approvals.
   */
  async addApproval(name: string, version: number, approval: Approval): Promise<readonly Approval[]> {
    return this.locked(async () => {
      const file = path.join(this.versionDir(name, version), 'version.json');
      await this.resolve({ name, ref: version });
      const record = await readJson<VersionRecord>(file);
      const approvals = [...(record.approvals ?? []), approval];
      await writeJsonAtomic(file, { ...record, approvals });
      return approvals;
    });
  }

  /** Points `alias` of `name` at `version` (recorded in the alias history). */
  async setAlias(name: string, version: number, alias: string): Promise<AliasMove> {
    checkName(alias, 'alias');
    return this.locked(async () => {
      const model = await this.model(name);
      await this.resolve({ name, ref: version });
      const move: AliasMove = { alias, from: model.aliases[alias] ?? null, to: version, by: actor(), at: new Date().toISOString() };
      await writeJsonAtomic(path.join(this.modelDir(name), 'model.json'), { ...model, aliases: { ...model.aliases, [alias]: version }, alias_history: [...model.alias_history, move] });
      return move;
    });
  }

  async removeAlias(name: string, alias: string): Promise<AliasMove> {
    return this.locked(async () => {
      const model = await this.model(name);
      const from = model.aliases[alias];
      if (from === undefined) throw new RegistryError('unknown-alias', `Model "${name}" has no alias "${alias}".`);
      const aliases = { ...model.aliases };
      delete aliases[alias];
      const move: AliasMove = { alias, from, to: null, by: actor(), at: new Date().toISOString() };
      await writeJsonAtomic(path.join(this.modelDir(name), 'model.json'), { ...model, aliases, alias_history: [...model.alias_history, move] });
      return move;
    });
  }

  /** Removes a version; refused while an alias points to it. */
  async remove(ref: string): Promise<VersionRef> {
    const parsed = parseRef(ref);
    if (typeof parsed.ref !== 'number') throw new RegistryError('bad-ref', `Remove takes NAME@VERSION (a version number), got "${ref}".`);
    return this.locked(async () => {
      const { model, version } = await this.resolve(parsed);
      const pointing = Object.entries(model.aliases).filter(([, v]) => v === version.version).map(([a]) => a);
      if (pointing.length) {
        throw new RegistryError(
          'alias-in-use',
          `${formatRef(version.name, version.version)} cannot be removed: alias ${pointing.join(', ')} points to it; move or remove ${pointing.length > 1 ? 'them' : 'it'} first (ptp registry unalias ${version.name} ${pointing[0]}).`,
        );
      }
      const dir = this.versionDir(version.name, version.version);
      const trash = path.join(path.dirname(dir), `.removed-${version.version}-${process.pid}-${randomBytes(4).toString('hex')}`);
      await rename(dir, trash);
      await rm(trash, { recursive: true, force: true });
      return { name: version.name, version: version.version };
    });
  }

  /** From `ref` back to its root: each link's operation made it from the next one. */
  async lineage(ref: string): Promise<LineageLink[]> {
    const chain: LineageLink[] = [];
    let current: VersionRecord | null = (await this.resolve(ref)).version;
    const seen = new Set<string>();
    while (current) {
      const key = formatRef(current.name, current.version);
      if (seen.has(key)) break;
      seen.add(key);
      chain.push({ name: current.name, version: current.version, sha256: current.sha256, operation: current.lineage?.operation ?? null, params: current.lineage?.params ?? null });
      if (current.parent) current = (await this.resolve({ name: current.parent.name, ref: current.parent.version }).catch(() => null))?.version ?? null;
      else {
        if (current.parent_sha256) chain.push({ name: null, version: null, sha256: current.parent_sha256, operation: null, params: null });
        current = null;
      }
    }
    return chain;
  }

  /** Attaches an evaluation run to a version (under the lock; one file per run). */
  async attachEvaluation(ref: string | ParsedRef, result: EvaluateResult): Promise<EvaluationRecord> {
    const { version } = await this.resolve(ref);
    const created = result.created || new Date().toISOString();
    const data = path.resolve(result.data);
    const record: EvaluationRecord = {
      id: `${created.replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
      created,
      data: { file: data, name: path.basename(data), sha256: await dataSha256(data) },
      task: result.task,
      samples: result.samples,
      metrics: scalarMetrics(result.metrics),
      result,
    };
    return this.locked(async () => {
      const dir = path.join(this.versionDir(version.name, version.version), 'evaluations');
      await mkdir(dir, { recursive: true });
      await writeJsonAtomic(path.join(dir, `${record.id}.json`), record);
      return record;
    });
  }

  /** Where an attached evaluation is stored. */
  evaluationFile(name: string, version: number, id: string): string {
    return path.join(this.versionDir(name, version), 'evaluations', `${id}.json`);
  }

  /** The evaluations attached to a version, oldest first. */
  async evaluations(name: string, version: number): Promise<EvaluationRecord[]> {
    const dir = path.join(this.versionDir(name, version), 'evaluations');
    if (!existsSync(dir)) return [];
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
    return Promise.all(files.map((f) => readJson<EvaluationRecord>(path.join(dir, f))));
  }
}

/**
 * The registry and version a stored model file belongs to (`<root>/models/<name>/versions/<n>/model.onnx` under a
 * folder holding registry.json), or undefined for any other file.
 */
export function registryVersionOf(file: string): { registry: Registry; name: string; version: number } | undefined {
  const abs = path.resolve(file);
  const parts = abs.split(path.sep);
  const n = parts.length;
  if (n < 6 || parts[n - 3] !== 'versions' || parts[n - 5] !== 'models' || !/^[1-9]\d*$/.test(parts[n - 2]!)) return undefined;
  const root = parts.slice(0, n - 5).join(path.sep) || path.sep;
  if (!existsSync(path.join(root, 'registry.json'))) return undefined;
  return { registry: Registry.at(root), name: parts[n - 4]!, version: Number(parts[n - 2]) };
}

/** The scalar metrics of an evaluation (accuracy, f1_macro, rmse …), for listings and comparisons. */
export function scalarMetrics(metrics: EvaluateResult['metrics']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/** sha256 of a data file; for a folder (images), of its sorted listing with sizes. */
async function dataSha256(p: string): Promise<string> {
  const s = await stat(p).catch(() => undefined);
  if (!s) return '';
  if (s.isFile()) return sha256File(p);
  const { createHash } = await import('node:crypto');
  const entries = (await readdir(p, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(p, path.join(e.parentPath, e.name)))
    .sort();
  const h = createHash('sha256');
  for (const e of entries) h.update(`${e}\0${(await stat(path.join(p, e))).size}\n`);
  return h.digest('hex');
}

/** The model's external data files (relative to its folder) and its lineage metadata; a clear error when it is not a model. */
async function describeModel(file: string): Promise<{ externalFiles: string[]; lineage: ReturnType<typeof readLineage> }> {
  if (!existsSync(file)) throw new RegistryError('not-a-model', `${file}: no such file.`);
  let m;
  try {
    m = await openModel(file);
  } catch (e) {
    if (e instanceof OnnxError) throw e;
    throw new RegistryError('not-a-model', `${file}: not an ONNX model (${(e as Error).message}).`);
  }
  try {
    const report = inspect(m);
    const externalFiles = [...new Set(report.external_data.map((x) => path.normalize(x.location)))].sort();
    return { externalFiles, lineage: readLineage(m.proto.metadataProps) };
  } finally {
    await m.close();
  }
}

/** Staging folders left by a writer that died mid-registration (its pid is gone): removed under the lock. */
async function removeAbandonedStaging(versionsDir: string): Promise<void> {
  for (const d of await readdir(versionsDir)) {
    const m = /^\.(?:staging|removed)-(?:\d+-)?(\d+)-[0-9a-f]+$/.exec(d);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    if (!alive) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) await rm(path.join(versionsDir, d), { recursive: true, force: true });
  }
}
