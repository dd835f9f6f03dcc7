/**
 * Reading `ptp.pipeline.yaml`: YAML with positions (the `yaml` package's LineCounter), the JSON Schema
 * (schema.ts, = schema/pipeline/ptp.pipeline.schema.json; checked with ajv), then what a schema cannot say — unique ids, each
 * kind's options and their types, expressions that parse and name earlier stages and known outputs, model and data
 * files that exist. Every problem is one PipelineError `FILE:LINE:COL: …`, reported before anything runs.
 */
import Ajv from 'ajv';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { isRegistryRef } from '../registry';
import { STAGE_KINDS, UNAVAILABLE_STAGES, type PipelineSpec, type SourcePosition, type StageKind, type StageSpec } from '../../protocol/pipeline';
import { PipelineError } from './errors';
import { ExprError, parseExpr, pathsOf, substitutions, type Expr } from './expr';
import { isKnownOutput, KINDS, type OptionType } from './kinds';
import { pipelineSchema } from './schema';

type Path = readonly (string | number)[];

/** The document and a way to name places in it. */
class Located {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): SourcePosition {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  /** The position of the node at `p` (its nearest existing ancestor when it is missing). */
  posOf(p: Path, key = false): SourcePosition {
    for (let n = p.length; n >= 0; n--) {
      const sub = p.slice(0, n);
      if (key && n === p.length && n > 0) {
        const parent = sub.length > 1 ? this.doc.getIn(sub.slice(0, -1), true) : this.doc.contents;
        if (isMap(parent)) {
          const pair = parent.items.find((i) => isScalar(i.key) && i.key.value === sub.at(-1));
          const k = pair?.key as YamlNode | undefined;
          if (k?.range) return this.at(k.range[0]);
        }
      }
      const node = (sub.length ? this.doc.getIn(sub, true) : this.doc.contents) as YamlNode | undefined;
      if (node && typeof node === 'object' && node.range) return this.at(node.range[0]);
    }
    return { line: 1, col: 1 };
  }

  /** The offset where a scalar's text starts inside the file (after its opening quote). */
  textStart(p: Path): number | undefined {
    const node = this.doc.getIn(p, true);
    if (!isScalar(node) || !node.range) return undefined;
    return node.range[0] + (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0);
  }

  fail(p: Path | SourcePosition, message: string, key = false): never {
    const pos = Array.isArray(p) ? this.posOf(p, key) : (p as SourcePosition);
    throw new PipelineError('bad-file', `${this.file}:${pos.line}:${pos.col}: ${message}`);
  }

  /** Fails at an expression's problem: the exact column when the scalar is plain or simply quoted. */
  failExpr(p: Path, exprOffset: number, message: string): never {
    const start = this.textStart(p);
    this.fail(start === undefined ? p : this.at(start + exprOffset), message);
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;

function schemaErrors(doc: unknown): { path: Path; message: string; key: boolean } | undefined {
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(pipelineSchema());
  if (validator(doc)) return undefined;
  // A stage's `with:` is checked below with messages that say more (the option list, the snake_case hint).
  const e = validator.errors!.find((x) => x.keyword !== 'if' && !/^\/stages\/\d+\/with(\/|$)/.test(x.instancePath));
  if (!e) return undefined;
  const p: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const where = p.length ? p.join('.') : 'the file';
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(((e.parentSchema as { properties?: object }).properties ?? {}) as object);
      return { path: [...p, extra], message: `unknown key "${extra}" in ${where} (allowed: ${allowed.join(', ')})`, key: true };
    }
    case 'required':
      return { path: p, message: `${where} needs "${(e.params as { missingProperty: string }).missingProperty}"`, key: false };
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const got = JSON.stringify(p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], doc));
      return p.at(-1) === 'run'
        ? { path: p, message: `unknown stage kind ${got} (known: ${allowed.join(', ')})`, key: false }
        : { path: p, message: `${where} must be one of ${allowed.join(', ')}, got ${got}`, key: false };
    }
    case 'const':
      return { path: p, message: `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} (the format this version reads)`, key: false };
    default:
      return { path: p, message: `${where} ${e.message ?? 'is not valid'}`, key: false };
  }
}

const typeOk = (t: OptionType, v: unknown): boolean => {
  if (Array.isArray(t)) return typeof v === 'string' && t.includes(v);
  switch (t) {
    case 'string':
      return typeof v === 'string' || typeof v === 'number';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0;
    case 'bool':
      return typeof v === 'boolean';
    case 'list':
      return typeof v === 'string' || typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'));
    case 'checks':
      return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  }
  return false;
};

const typeText = (t: OptionType): string =>
  Array.isArray(t) ? `one of ${t.join(', ')}` : ({ string: 'a string', number: 'a number', int: 'a non-negative integer', bool: 'true or false', list: 'a list of strings (or one comma-separated string)', checks: 'a non-empty list of check expressions' } as Record<string, string>)[t as string]!;

/** Reads and checks a pipeline file; throws PipelineError (`FILE:LINE:COL: …`) on the first problem. */
export async function readPipeline(file: string, options: { registry?: string } = {}): Promise<PipelineSpec> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw new PipelineError('missing-input', `${file}: cannot read the pipeline file (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)})`);
  }
  return parsePipeline(text, file, abs, options);
}

export function parsePipeline(text: string, shown: string, abs: string, options: { registry?: string } = {}): PipelineSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loc = new Located(shown, doc, lines);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0] ?? loc.at(yamlError.pos[0]);
    loc.fail({ line: pos.line, col: pos.col }, `not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const js = doc.toJS() as unknown;
  if (js === null || typeof js !== 'object' || Array.isArray(js)) loc.fail([], 'a pipeline file is a mapping with version, name, model and stages');
  const bad = schemaErrors(js);
  if (bad) loc.fail(bad.path, bad.message, bad.key);

  const o = js as { version: 1; name: string; model: string; registry?: string; data?: Record<string, unknown>; stages: { id: string; run: StageKind; with?: Record<string, unknown> }[] };
  const dir = path.dirname(abs);
  const data = o.data ?? {};
  const dataFile = (key: string): string | undefined => {
    const v = data[key];
    if (typeof v !== 'string') return undefined;
    const p = path.resolve(dir, v);
    if (!existsSync(p)) throw new PipelineError('missing-input', `${shown}:${loc.posOf(['data', key]).line}:${loc.posOf(['data', key]).col}: data.${key}: ${v}: no such file`);
    return p;
  };
  const modelIsRef = isRegistryRef(o.model) && !o.model.toLowerCase().endsWith('.onnx');
  const model = modelIsRef ? o.model : path.resolve(dir, o.model);
  if (!modelIsRef && !existsSync(model)) throw new PipelineError('missing-input', `${shown}:${loc.posOf(['model']).line}:${loc.posOf(['model']).col}: model: ${o.model}: no such file`);

  const seen = new Map<string, StageKind>();
  const stages: StageSpec[] = [];
  o.stages.forEach((s, i) => {
    const at = ['stages', i] as const;
    if (seen.has(s.id)) loc.fail([...at, 'id'], `two stages have the id "${s.id}"`);
    const kind = KINDS[s.run];
    const w = s.with ?? {};
    const unavailable = UNAVAILABLE_STAGES.includes(s.run);
    for (const [k, v] of Object.entries(w)) {
      const t = kind.options[k];
      if (t === undefined) {
        if (unavailable) continue;
        const hint = k.includes('-') && kind.options[k.replace(/-/g, '_')] !== undefined ? ` (option names are snake_case: "${k.replace(/-/g, '_')}")` : '';
        loc.fail([...at, 'with', k], `${s.run} has no option "${k}"${hint} (options: ${Object.keys(kind.options).join(', ')})`, true);
      }
      const hasExpr = typeof v === 'string' && v.includes('${{');
      if (!hasExpr && t !== 'checks' && !typeOk(t, v)) loc.fail([...at, 'with', k], `${s.run}: "${k}" must be ${typeText(t)}, got ${JSON.stringify(v)}`);
      if (t === 'checks') {
        if (!typeOk(t, v)) loc.fail([...at, 'with', k], `gate: "checks" must be ${typeText(t)}`);
        (v as string[]).forEach((c, j) => checkExpr(loc, [...at, 'with', k, j], c, 0, seen));
      } else if (typeof v === 'string') {
        for (const sub of substitutions(v)) checkExpr(loc, [...at, 'with', k], sub.expr, sub.exprAt, seen);
        if (v.includes('${{') && !substitutions(v).length) loc.fail([...at, 'with', k], 'an unterminated "${{" (write ${{ stages.<id>.<output> }})');
      } else if (Array.isArray(v)) {
        v.forEach((x, j) => {
          if (typeof x === 'string') for (const sub of substitutions(x)) checkExpr(loc, [...at, 'with', k, j], sub.expr, sub.exprAt, seen);
        });
      }
    }
    for (const r of kind.required ?? []) if (!unavailable && w[r] === undefined) loc.fail(s.with ? [...at, 'with'] : [...at, 'run'], `${s.run} needs "${r}" in with:`);
    stages.push({ id: s.id, run: s.run, with: w, at: loc.posOf(at) });
    seen.set(s.id, s.run);
  });

  const registryDir = o.registry !== undefined ? path.resolve(dir, o.registry) : options.registry ? path.resolve(options.registry) : path.join(dir, '.ptp', 'registry');
  return {
    file: abs,
    dir,
    version: 1,
    name: o.name,
    model,
    registry: registryDir,
    data: {
      ...(dataFile('test') ? { test: dataFile('test') } : {}),
      ...(dataFile('calibration') ? { calibration: dataFile('calibration') } : {}),
      ...(dataFile('train') ? { train: dataFile('train') } : {}),
      ...(typeof data.label === 'string' ? { label: data.label } : {}),
      sensitive: Array.isArray(data.sensitive) ? (data.sensitive as string[]) : [],
    },
    stages,
  };
}

/** An expression parses, and each `stages.<id>.<field>` names an earlier stage and an output its kind has. */
function checkExpr(loc: Located, p: Path, src: string, offset: number, earlier: ReadonlyMap<string, StageKind>): Expr {
  let e: Expr;
  try {
    e = parseExpr(src);
  } catch (err) {
    if (err instanceof ExprError) loc.failExpr(p, offset + err.offset, `bad expression: ${err.message}`);
    throw err;
  }
  for (const ref of pathsOf(e)) {
    const kind = earlier.get(ref.stage);
    if (kind === undefined) {
      const known = [...earlier.keys()];
      loc.failExpr(p, offset + ref.at, `"${ref.text}" names the stage "${ref.stage}", which is not an earlier stage (earlier: ${known.length ? known.join(', ') : 'none'})`);
    }
    if (!UNAVAILABLE_STAGES.includes(kind) && !isKnownOutput(kind, ref.fields)) {
      loc.failExpr(p, offset + ref.at, `"${ref.text}": the ${kind} stage "${ref.stage}" has no output "${ref.fields.join('.')}" (outputs: ${KINDS[kind].outputs.join(', ')})`);
    }
  }
  return e;
}

export { STAGE_KINDS };
