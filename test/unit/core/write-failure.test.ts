/**
 * A full disk, simulated at the file layer (every write under one folder fails with ENOSPC after the first): the
 * model writer and the operations give a clear error naming the output, leave no partial file and no temp, and
 * the CLI exits 2 (a user error), not 3.
 */
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openModel, writeModel, WriteError } from '../../../src/core';
import { quantize } from '../../../src/pipeline/quantize';
import { isUserError } from '../../../src/cli/output';
import { TempDir } from './build';
import { REPO_ROOT } from '../../helpers/paths';

/** Makes writes to files under `dir` fail with ENOSPC once `budget` bytes went through; returns the undo. */
function fullDisk(dir: string, budget = 1024): () => void {
  const open = fsp.open;
  (fsp as { open: typeof fsp.open }).open = async function (...args: Parameters<typeof fsp.open>) {
    const handle = await open.apply(fsp, args);
    if (!String(args[0]).startsWith(dir)) return handle;
    let written = 0;
    const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<{ bytesWritten: number }>;
    (handle as unknown as { write: unknown }).write = async (...a: unknown[]) => {
      const n = (a[0] as Uint8Array).length;
      if (written + n > budget) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      written += n;
      return write(...a);
    };
    return handle;
  } as typeof fsp.open;
  return () => {
    (fsp as { open: typeof fsp.open }).open = open;
  };
}

describe('core: a full disk while writing', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir()));
  afterEach(() => tmp.dispose());

  it('writeModel: a WriteError naming the output (ENOSPC), no partial file, no temp left', async () => {
    const dir = tmp.path('full');
    mkdirSync(dir);
    const m = await openModel(join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'digits_mlp.onnx'));
    const undo = fullDisk(dir);
    try {
      await assert.rejects(writeModel(m, join(dir, 'out.onnx')), (e: unknown) => {
        assert.ok(e instanceof WriteError, String(e));
        assert.equal(e.errno, 'ENOSPC');
        assert.ok(e.message.startsWith(join(dir, 'out.onnx')) && /the disk is full/.test(e.message), e.message);
        assert.ok(isUserError(e), 'the CLI shows it as a user error (exit 2)');
        return true;
      });
    } finally {
      undo();
      await m.close();
    }
    assert.deepEqual(readdirSync(dir), [], 'nothing is left in the folder');
  });

  it('quantize: a clean bad-output error, the source untouched, nothing left', async () => {
    const dir = tmp.path('full');
    mkdirSync(dir);
    const model = tmp.path('m.onnx');
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'digits_mlp.onnx'), model);
    const undo = fullDisk(dir);
    try {
      await assert.rejects(quantize({ model, mode: 'dynamic', output: join(dir, 'q.onnx'), latency: false }), (e: unknown) => isUserError(e) && /ENOSPC/.test((e as Error).message));
    } finally {
      undo();
    }
    assert.deepEqual(readdirSync(dir), []);
    assert.ok(existsSync(model));
  });
});
