/**
 * An export is a folder written whole or not at all: its files are built in a hidden staging folder beside OUT
 * (`.<OUT name>.<pid>.<hex>.tmp`, the recognisable temp name of core/temp-files.ts, swept by later runs when the
 * writer was killed) and renamed into place. A non-empty OUT is refused unless `force`, then replaced.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { sweepStaleTemps, tempPath } from '../../core/temp-files';
import type { OperationContext } from '../operation';
import { ExportError } from './errors';

export type ExportFile = { readonly path: string; readonly text: string } | { readonly path: string; readonly copyFrom: string };

/** Writes `files` (paths relative to OUT) as the folder OUT; returns the files written (relative, sorted). */
export async function writeExportFolder(out: string, files: readonly ExportFile[], force: boolean, ctx: OperationContext = {}): Promise<string[]> {
  const target = path.resolve(out);
  const parent = path.dirname(target);
  if (!existsSync(parent)) throw new ExportError('bad-output', `${target}: the folder ${parent} does not exist`);
  if (existsSync(target) && (await readdir(target)).length > 0 && !force) {
    throw new ExportError('output-exists', `${target} exists and is not empty; choose another folder or pass --force to replace it`);
  }
  await sweepStaleTemps(parent);
  const staging = tempPath(target);
  try {
    for (const f of files) {
      ctx.signal?.throwIfAborted();
      const dest = path.join(staging, f.path);
      await mkdir(path.dirname(dest), { recursive: true });
      if ('text' in f) await writeFile(dest, f.text);
      else await copyFile(f.copyFrom, dest);
    }
    if (existsSync(target)) {
      const aside = tempPath(target, 'replaced');
      await rename(target, aside);
      await rename(staging, target);
      await rm(aside, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  return files.map((f) => f.path).sort();
}
