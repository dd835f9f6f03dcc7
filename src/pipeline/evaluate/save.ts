import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { EvaluateResult } from '../../protocol/evaluate';
import { registryVersionOf } from '../registry';

/**
 * Saves an evaluation (atomically) and returns the file: for a model stored in the registry, attached to its
 * version (nothing is written beside a registered file); for any other model, as JSON under `.ptp/runs/` next to it.
 */
export async function saveRun(result: EvaluateResult, kind = 'evaluate'): Promise<string> {
  const stored = kind === 'evaluate' ? registryVersionOf(result.model) : undefined;
  if (stored) {
    const record = await stored.registry.attachEvaluation({ name: stored.name, ref: stored.version }, result);
    return stored.registry.evaluationFile(stored.name, stored.version, record.id);
  }
  const dir = path.join(path.dirname(path.resolve(result.model)), '.ptp', 'runs');
  await mkdir(dir, { recursive: true });
  const stamp = result.created.replace(/[:.]/g, '-');
  const file = path.join(dir, `${path.basename(result.model, '.onnx')}.${kind}.${stamp}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...result, saved_to: file }, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
