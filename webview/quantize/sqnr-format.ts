/** Text and bands of the quantization report's SQNR (signal-to-quantization-noise ratio) columns. Pure: no DOM. */

/** SQNR in dB: "37.25 dB"; "—" when not measured; "identical" at the ±200 dB cap. */
export function formatSqnr(db: number | undefined): string {
  if (db === undefined || !Number.isFinite(db)) return '—';
  if (db >= 200) return 'identical';
  return `${db.toFixed(1)} dB`;
}

/** Band of an SQNR by the overlay's thresholds [20, 30, 40]. */
export function sqnrBand(db: number | undefined): 'none' | 'poor' | 'fair' | 'good' | 'great' {
  if (db === undefined || !Number.isFinite(db)) return 'none';
  return db < 20 ? 'poor' : db < 30 ? 'fair' : db < 40 ? 'good' : 'great';
}

/** The lower of a node's SQNRs (what "worst first" sorts by); undefined when neither was measured. */
export function worstSqnr(n: { readonly weight_sqnr_db?: number; readonly activation_sqnr_db?: number }): number | undefined {
  const values = [n.weight_sqnr_db, n.activation_sqnr_db].filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? Math.min(...values) : undefined;
}
