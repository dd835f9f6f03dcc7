/**
 * Where a server started from VS Code writes its request log (`ptp.serve.requestLog`): `${model}` in the setting
 * is the served model's name; a relative path is under the workspace folder. No vscode: unit tested.
 */
import * as path from 'node:path';

export const DEFAULT_REQUEST_LOG = '.ptp/logs/${model}.requests.jsonl';

/** The absolute request log path, or null when the setting is empty (no log). */
export function requestLogPath(setting: unknown, model: string, folder: string): string | null {
  const raw = typeof setting === 'string' ? setting.trim() : DEFAULT_REQUEST_LOG;
  if (!raw) return null;
  const safe = model.replace(/[^A-Za-z0-9._-]/g, '_') || 'model';
  const file = raw.split('${model}').join(safe);
  return path.isAbsolute(file) ? file : path.join(folder, file);
}
