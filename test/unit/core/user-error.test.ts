import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError, userErrorCategory } from '../../../src/core/user-error';

const SRC = path.resolve(__dirname, '../../../src');

/**
 * Error classes that are deliberately not user errors (bugs, or errors whose user-ness is a per-instance flag).
 * A new error class must either extend UserError or be named here, so the classification cannot go stale.
 */
const NOT_USER_ERRORS = new Set([
  'RuntimeError', // isUserError is per instance (cli/output.ts isUserError reads it)
  'WireError', // caught and rethrown as OnnxFormatError by the reader
  'GraphPathError',
  'TensorNotFoundError',
  'OperationCancelledError', // extension side: shown as cancelled (isCancellation)
  'WorkerStoppedError',
  'WorkerRequestError', // carries the worker's type/code/category
  'ExprError', // pipeline expressions: always caught and reported as a PipelineError with the file position, or as a failed check
]);

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : tsFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every `export class X extends …` in src whose module can load without vscode, as [file, class]. */
function errorClasses(): Array<{ file: string; name: string; cls: new (...a: unknown[]) => Error }> {
  const out: Array<{ file: string; name: string; cls: new (...a: unknown[]) => Error }> = [];
  for (const file of tsFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const names = [...text.matchAll(/export (?:abstract )?class (\w+) extends \w+/g)].map((m) => m[1] as string);
    if (names.length === 0 || /from 'vscode'/.test(text)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    for (const name of names) {
      const cls = mod[name];
      if (typeof cls === 'function' && cls.prototype instanceof Error) out.push({ file: path.relative(SRC, file), name, cls: cls as new (...a: unknown[]) => Error });
    }
  }
  return out;
}

/** An instance for reading instance fields; error constructors take strings/codes first. */
function instance(cls: new (...a: unknown[]) => Error): Error {
  return new cls('x', 'y', 'z');
}

describe('core/user-error: one user-error type', () => {
  const classes = errorClasses();

  it('finds the error classes of every layer', () => {
    const names = classes.map((c) => c.name);
    for (const n of ['OnnxError', 'DatasetError', 'MetricsError', 'ExplainError', 'QuantizeError', 'UsageError', 'RuntimeError']) assert.ok(names.includes(n), n);
  });

  it('every error class is a UserError or explicitly not one', () => {
    for (const { file, name, cls } of classes) {
      if (name === 'UserError') continue;
      const isUser = cls.prototype instanceof UserError;
      assert.ok(isUser !== NOT_USER_ERRORS.has(name), `${file}: ${name} must extend UserError or be listed as not a user error`);
    }
  });

  it('every UserError has a non-empty category; a category is shared only along one inheritance line', () => {
    const byCategory = new Map<string, Array<new (...a: unknown[]) => Error>>();
    for (const { file, name, cls } of classes) {
      if (!(cls.prototype instanceof UserError)) continue;
      const cat = userErrorCategory(instance(cls));
      assert.ok(typeof cat === 'string' && /^[A-Z_]+$/.test(cat), `${file}: ${name} has category ${String(cat)}`);
      byCategory.set(cat, [...(byCategory.get(cat) ?? []), cls]);
    }
    for (const [cat, list] of byCategory) {
      const root = list.find((c) => list.every((d) => d === c || d.prototype instanceof c));
      assert.ok(root, `category ${cat} is used by unrelated classes: ${list.map((c) => c.name).join(', ')}`);
    }
  });

  it('a cancellation maps to CANCELLED; a plain Error to no category', () => {
    const abort = new Error('stop');
    abort.name = 'AbortError';
    assert.equal(userErrorCategory(abort), 'CANCELLED');
    assert.equal(userErrorCategory(new Error('bug')), undefined);
  });
});
