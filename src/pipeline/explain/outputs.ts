/** Which of the model's output columns an explanation reports. */
import { ExplainError } from './errors';

/**
 * `output`: a column index, a class name (or the regression output's name), or 'all' (default). Names win over
 * indices when a class is literally named like a number ("3").
 */
export function selectOutputs(output: number | string | undefined, names: readonly string[], task: 'classification' | 'regression'): { indices: number[] } {
  if (output === undefined || output === 'all') return { indices: names.map((_, i) => i) };
  const byName = names.indexOf(String(output));
  if (byName >= 0) return { indices: [byName] };
  const n = typeof output === 'number' ? output : /^\d+$/.test(output) ? Number(output) : NaN;
  if (Number.isInteger(n) && n >= 0 && n < names.length) return { indices: [n] };
  const what = task === 'regression' ? 'outputs' : 'classes';
  throw new ExplainError('invalid-option', `output ${JSON.stringify(output)} is not one of the model's ${what} (${names.map((s, i) => `${i}: ${s}`).join(', ')}), nor 'all'`);
}
