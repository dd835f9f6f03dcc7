/** The Attributions panel's CSV export: one line per (row, feature, output) with the feature value and φ. No vscode. */
import type { ExplainResult } from '../../../protocol/explain';

const HEADER = 'row,feature,output,value,phi';

/** RFC 4180 quoting when needed. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function attributionsCsv(r: ExplainResult): string {
  const lines = [HEADER];
  r.shap_values.forEach((perFeature, i) => {
    const row = String(r.rows[i] ?? i);
    perFeature.forEach((perOutput, j) => {
      const feature = cell(r.feature_names[j] ?? `f${j}`);
      const value = String(r.feature_values[i]?.[j] ?? '');
      perOutput.forEach((phi, k) => lines.push(`${row},${feature},${cell(r.output_names[k] ?? String(k))},${value},${phi}`));
    });
  });
  return `${lines.join('\n')}\n`;
}
