/**
 * The one naming scheme of the temporary files every writer uses (write a hidden temp beside the target, fsync,
 * rename over it), and the sweep that removes the ones a killed process left behind:
 *
 *   .<target name>.<pid>.<8 hex>[.<purpose>].tmp        e.g. .digits.int8.onnx.21770.e4f82fe9.tmp
 *
 * Recognisable by the pattern, owned by the pid in it: the next write in that folder removes the temps whose
 * process is gone (never those of a live process — another writer may be at work), so a kill leaves at most one
 * stray file until the next run. No vscode, no onnxruntime.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';

const TEMP = /^\.(.+)\.(\d+)\.([0-9a-f]{8})(?:\.[\w-]+)?\.tmp$/;

/** A hidden temp name beside `target` (same folder, so the final rename is atomic). */
export function tempPath(target: string, purpose?: string): string {
  const base = path.basename(target);
  // A temp of a temp would hide its owner: a staged file's own temp is named after its final target.
  const m = TEMP.exec(base);
  const name = m ? m[1]! : base;
  return path.join(path.dirname(target), `.${name}.${process.pid}.${randomBytes(4).toString('hex')}${purpose ? `.${purpose}` : ''}.tmp`);
}

/** The pid that owns a temp file name, or undefined when the name is not one of ours. */
export function tempOwner(fileName: string): number | undefined {
  const m = TEMP.exec(fileName);
  return m ? Number(m[2]) : undefined;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temp files in `dir` whose writer is no longer running; returns their names. */
export async function sweepStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempOwner(name);
    if (pid === undefined || alive(pid)) continue;
    await rm(path.join(dir, name), { force: true, recursive: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
