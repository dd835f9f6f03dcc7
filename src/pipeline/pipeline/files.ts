/** Writing the pipeline's files whole: a hidden temp beside the target (core/temp-files.ts), then a rename. */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { tempPath } from '../../core/temp-files';

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPath(file);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Copies a file whole (temp + rename at the target). */
export async function copyAtomic(from: string, to: string): Promise<void> {
  await writeAtomic(to, await readFile(from));
}
