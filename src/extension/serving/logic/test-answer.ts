/** The answer of a test request as the panel shows it: JSON text, long outputs shortened. No vscode. */

export interface AnswerTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
  readonly data: ArrayLike<unknown>;
}

/** Values shown per output before "…" (the shape says how many there are). */
export const SHOWN_VALUES = 200;

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export function answerJson(answer: { readonly model_name: string; readonly model_version?: string; readonly id?: string; readonly outputs: readonly AnswerTensor[] }): string {
  const outputs = answer.outputs.map((t) => {
    const n = t.data.length;
    const data = Array.from({ length: Math.min(n, SHOWN_VALUES) }, (_, i) => plain(t.data[i]));
    return { name: t.name, datatype: t.datatype, shape: t.shape, data: n > SHOWN_VALUES ? [...data, `… ${n - SHOWN_VALUES} more`] : data };
  });
  return JSON.stringify({ model_name: answer.model_name, ...(answer.model_version !== undefined ? { model_version: answer.model_version } : {}), ...(answer.id !== undefined ? { id: answer.id } : {}), outputs }, null, 2);
}
