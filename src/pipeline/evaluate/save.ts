import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { EvaluateResult } from '../../protocol/evaluate';

/** Saves an evaluation as JSON under `.ptp/runs/` next to the model (atomically); returns the file. */
export async function saveRun(result: EvaluateResult, kind = 'evaluate'): Promise<string> {
  const dir = path.join(path.dirname(path.resolve(result.model)), '.ptp', 'runs');
  await mkdir(dir, { recursive: true });
  const stamp = result.created.replace(/[:.]/g, '-');
  const file = path.join(dir, `${path.basename(result.model, '.onnx')}.${kind}.${stamp}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...result, saved_to: file }, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
