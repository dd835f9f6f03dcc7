/** Structured pruning: channel importance (L1 / L2 norm of each output channel's weights) and the channels kept. */

/** Adds each output channel's L1 or L2 norm of `w` (shape `dims`, channels along `axis`) to `norms`. */
export function addChannelNorms(norms: Float64Array, w: Float32Array, dims: readonly number[], axis: number, criterion: 'l1' | 'l2'): void {
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const c = dims[axis]!;
  const sums = new Float64Array(c);
  for (let i = 0; i < w.length; i++) {
    const ch = Math.floor(i / inner) % c;
    const v = w[i]!;
    sums[ch]! += criterion === 'l1' ? Math.abs(v) : v * v;
  }
  for (let ch = 0; ch < c; ch++) norms[ch]! += criterion === 'l1' ? sums[ch]! : Math.sqrt(sums[ch]!);
}

/** How many of `channels` are kept: floor(s·C) removed, at least 1 kept, rounded up to a multiple of `roundTo`, at most C. */
export function keptCount(channels: number, sparsity: number, roundTo: number): number {
  const keep = Math.max(1, channels - Math.floor(sparsity * channels));
  return Math.min(channels, Math.ceil(keep / roundTo) * roundTo);
}

/**
 * The channels kept (ascending): those of largest importance; on equal importance the earlier channel is kept.
 */
export function chooseChannels(norms: Float64Array, sparsity: number, roundTo: number): number[] {
  const c = norms.length;
  const keep = keptCount(c, sparsity, roundTo);
  const order = Array.from({ length: c }, (_, i) => i).sort((a, b) => norms[b]! - norms[a]! || a - b);
  return order.slice(0, keep).sort((a, b) => a - b);
}
