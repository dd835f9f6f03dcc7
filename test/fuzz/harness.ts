/**
 * A seeded mutation fuzzer for the model readers, in process: real models (the shipped examples, the test
 * fixtures, a sample of ONNX's backend corpus) are corrupted the way files get corrupted — bit flips, truncation,
 * runs of overwritten bytes, length prefixes that claim huge sizes, duplicated or deleted chunks — and each
 * result goes through everything that reads a model: parse (openModel's lazy scan) → inspect → validate → the
 * graph view with shape inference → the decode of every initializer. The only acceptable outcomes are success or
 * a UserError (the clean error the CLI turns into exit 2); anything else, an input slower than the time limit,
 * or a heap that grows past the limit is a failure, saved under test/fixtures/fuzz/ as a regression case that
 * test/unit/core/fuzz.test.ts replays forever after.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { inspect, loadGraphView, parseModel, validate } from '../../src/core';
import { UserError } from '../../src/core/user-error';
import { createRng } from '../../src/pipeline/shared/random-inputs';
import { findTestDataRoot } from '../helpers/testdata';
import { REPO_ROOT } from '../helpers/paths';

export const FUZZ_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'fuzz');

/** The seeded generator the pipeline's sample inputs use (mulberry32). */
export const rng: (seed: number) => () => number = createRng;

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The models every run starts from: examples, test fixtures, and every `stride`-th backend model (when installed). */
export function seedCorpus(stride = 25, maxBytes = 4 << 20): Seed[] {
  const files: string[] = [];
  const examples = join(REPO_ROOT, 'examples');
  for (const d of readdirSync(examples, { withFileTypes: true })) {
    if (d.isDirectory()) for (const f of readdirSync(join(examples, d.name))) if (f.endsWith('.onnx')) files.push(join(examples, d.name, f));
  }
  const ws = join(REPO_ROOT, 'test', 'fixtures', 'workspace');
  for (const f of readdirSync(ws)) if (f.endsWith('.onnx')) files.push(join(ws, f));
  const root = findTestDataRoot();
  if (root) {
    let i = 0;
    for (const cat of readdirSync(root).sort()) {
      const dir = join(root, cat);
      if (!statSync(dir).isDirectory()) continue;
      for (const name of readdirSync(dir).sort()) {
        const model = join(dir, name, 'model.onnx');
        if (existsSync(model) && i++ % stride === 0) files.push(model);
      }
    }
  }
  return files.filter((f) => statSync(f).size <= maxBytes).map((f) => ({ name: relative(REPO_ROOT, f).startsWith('..') ? f : relative(REPO_ROOT, f), bytes: readFileSync(f) }));
}

export type MutationKind = 'bitflip' | 'truncate' | 'overwrite' | 'huge-length' | 'duplicate' | 'delete' | 'insert';
/** Weighted: most corruptions are small (a few flipped bits), so inputs get deep into the readers. */
const KINDS: readonly MutationKind[] = ['bitflip', 'bitflip', 'bitflip', 'bitflip', 'overwrite', 'overwrite', 'truncate', 'huge-length', 'huge-length', 'duplicate', 'delete', 'insert'];

/** A varint that claims `n` bytes. */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** One corruption of `src` (1–3 stacked mutations). */
export function mutate(src: Uint8Array, random: () => number): { bytes: Uint8Array; kinds: MutationKind[] } {
  let b: Uint8Array = Uint8Array.from(src);
  const kinds: MutationKind[] = [];
  const steps = random() < 0.7 ? 1 : 2 + Math.floor(random() * 2);
  const at = (n = b.length) => Math.floor(random() * Math.max(1, n));
  for (let s = 0; s < steps; s++) {
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    kinds.push(kind);
    switch (kind) {
      case 'bitflip':
        for (let j = 0, n = 1 + Math.floor(random() * 4); j < n && b.length; j++) b[at()]! ^= 1 << Math.floor(random() * 8);
        break;
      case 'truncate':
        b = b.subarray(0, at());
        break;
      case 'overwrite': {
        const from = at();
        const fill = random() < 0.5 ? 0xff : Math.floor(random() * 256);
        b.fill(fill, from, Math.min(b.length, from + 1 + Math.floor(random() * 64)));
        break;
      }
      case 'huge-length': {
        // Replace the byte after a plausible length-delimited tag (wire type 2) with a varint claiming ~2^31 or 2^53.
        let pos = at();
        for (let k = 0; k < 64 && pos < b.length && (b[pos]! & 7) !== 2; k++) pos++;
        if (pos + 1 >= b.length) break;
        const claim = random() < 0.5 ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
        b = Uint8Array.from([...b.subarray(0, pos + 1), ...varint(claim), ...b.subarray(pos + 2)]);
        break;
      }
      case 'duplicate': {
        const from = at();
        const len = Math.floor(random() * Math.min(4096, b.length - from + 1));
        const where = at();
        b = Uint8Array.from([...b.subarray(0, where), ...b.subarray(from, from + len), ...b.subarray(where)]);
        break;
      }
      case 'delete': {
        const from = at();
        b = Uint8Array.from([...b.subarray(0, from), ...b.subarray(Math.min(b.length, from + 1 + Math.floor(random() * 256)))]);
        break;
      }
      case 'insert': {
        const where = at();
        const junk = Array.from({ length: 1 + Math.floor(random() * 32) }, () => Math.floor(random() * 256));
        b = Uint8Array.from([...b.subarray(0, where), ...junk, ...b.subarray(where)]);
        break;
      }
    }
  }
  return { bytes: b, kinds };
}

export type Outcome = { readonly kind: 'ok' } | { readonly kind: 'rejected'; readonly message: string };

/** Everything that reads a model, on `bytes`. Throws anything that is not a clean UserError. */
export async function exercise(bytes: Uint8Array, file = 'fuzz.onnx'): Promise<Outcome> {
  try {
    const m = await parseModel(bytes, { file });
    try {
      inspect(m);
      await validate(m);
      await loadGraphView(m);
      for (const t of m.proto.graph?.initializer ?? []) await m.readTensor(t);
      for (const s of m.proto.graph?.sparseInitializer ?? []) {
        if (s.values) await m.readTensor(s.values);
        if (s.indices) await m.readTensor(s.indices);
      }
    } finally {
      await m.close();
    }
    return { kind: 'ok' };
  } catch (e) {
    if (e instanceof UserError) return { kind: 'rejected', message: e.message };
    throw e;
  }
}

export interface Failure {
  readonly iteration: number;
  readonly source: string;
  readonly kinds: readonly MutationKind[];
  readonly reason: string;
  readonly file?: string;
}

export interface FuzzOptions {
  readonly iterations: number;
  readonly seed: number;
  readonly seeds: readonly Seed[];
  /** An input that takes longer fails (default 5 s). */
  readonly timeLimitMs?: number;
  /** The heap may grow this much over the run's start (default 768 MiB). */
  readonly heapLimitBytes?: number;
  /** Save failing inputs under test/fixtures/fuzz/ (default true). */
  readonly save?: boolean;
}

export interface FuzzReport {
  readonly iterations: number;
  readonly ok: number;
  readonly rejected: number;
  readonly failures: readonly Failure[];
  readonly ms: number;
  readonly inputsPerSecond: number;
  readonly maxInputMs: number;
  readonly heapGrowthBytes: number;
}

function saveFailure(bytes: Uint8Array, f: Omit<Failure, 'file'>): string {
  mkdirSync(FUZZ_FIXTURES, { recursive: true });
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = join(FUZZ_FIXTURES, `${id}.onnx`);
  writeFileSync(file, bytes);
  writeFileSync(join(FUZZ_FIXTURES, `${id}.json`), `${JSON.stringify({ ...f, source: basename(f.source) }, null, 2)}\n`);
  return file;
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const random = rng(o.seed);
  const limit = o.timeLimitMs ?? 5000;
  const heapLimit = o.heapLimitBytes ?? 768 << 20;
  const heap0 = process.memoryUsage().heapUsed;
  let ok = 0;
  let rejected = 0;
  let maxInputMs = 0;
  let heapGrowth = 0;
  const failures: Failure[] = [];
  const t0 = performance.now();
  for (let i = 0; i < o.iterations; i++) {
    const seed = o.seeds[Math.floor(random() * o.seeds.length)]!;
    const { bytes, kinds } = mutate(seed.bytes, random);
    const start = performance.now();
    let reason: string | undefined;
    try {
      const r = await exercise(bytes);
      if (r.kind === 'ok') ok++;
      else rejected++;
    } catch (e) {
      reason = `${e instanceof Error ? e.constructor.name : typeof e}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500);
    }
    const ms = performance.now() - start;
    maxInputMs = Math.max(maxInputMs, ms);
    if (!reason && ms > limit) reason = `slow: ${ms.toFixed(0)} ms (limit ${limit} ms)`;
    if (i % 50 === 0) {
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - heap0);
      if (!reason && heapGrowth > heapLimit) reason = `heap grew by ${(heapGrowth / 2 ** 20).toFixed(0)} MiB`;
    }
    if (reason) {
      const f = { iteration: i, source: seed.name, kinds, reason };
      failures.push({ ...f, ...(o.save !== false ? { file: saveFailure(bytes, f) } : {}) });
    }
  }
  const ms = performance.now() - t0;
  return { iterations: o.iterations, ok, rejected, failures, ms, inputsPerSecond: (o.iterations / ms) * 1000, maxInputMs, heapGrowthBytes: heapGrowth };
}
