/**
 * Ascending sort of a Float64Array of finite numbers, in place, by LSD radix sort on the IEEE-754 bits
 * (16-bit digits, 4 passes). ~5× faster than `Float64Array.prototype.sort` on a million values, which
 * matters because every ROC/PR curve sorts the scores of all rows. Small arrays use the built-in sort.
 * -0 sorts before +0 (the built-in sort keeps them equal; both compare equal afterwards either way).
 */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 4096) return a.sort();
  if (allFloat32(a)) return sortViaFloat32(a);
  const words = new Uint32Array(a.buffer, a.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  // Map to unsigned keys whose order is the numeric order: negatives flip all bits, positives the sign bit.
  for (let i = 0; i < n; i++) {
    const l = words[2 * i]!;
    const h = words[2 * i + 1]!;
    if (h & 0x80000000) {
      lo[i] = ~l >>> 0;
      hi[i] = ~h >>> 0;
    } else {
      lo[i] = l;
      hi[i] = (h | 0x80000000) >>> 0;
    }
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass % 2) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    let single = false;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      if (c === n) single = true;
      count[d] = sum;
      sum += c;
    }
    if (single) continue; // every key has the same digit: this pass would not move anything
    for (let i = 0; i < n; i++) {
      const k = count[(src[i]! >>> shift) & 0xffff]!++;
      lo2[k] = lo[i]!;
      hi2[k] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      words[2 * i] = lo[i]!;
      words[2 * i + 1] = (h & 0x7fffffff) >>> 0;
    } else {
      words[2 * i] = ~lo[i]! >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
  return a;
}

/** Whether every value is exactly a float32 (scores computed in float32, the common case). */
function allFloat32(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (Math.fround(a[i]!) !== a[i]) return false;
  return true;
}

/** Two 16-bit passes over float32 bit patterns instead of four over float64 ones. */
function sortViaFloat32(a: Float64Array): Float64Array {
  const n = a.length;
  const f = Float32Array.from(a);
  const bits = new Uint32Array(f.buffer);
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    keys[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  let tmp = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let shift = 0; shift < 32; shift += 16) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) tmp[count[(keys[i]! >>> shift) & 0xffff]!++] = keys[i]!;
    [keys, tmp] = [tmp, keys];
  }
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    bits[i] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
  }
  for (let i = 0; i < n; i++) a[i] = f[i]!;
  return a;
}

/**
 * Ascending sort of unsigned 32-bit keys, in place, by LSD radix sort (three 11-bit digits: the counts fit in
 * the L1 cache); `tmp` is scratch of the same length. Passes where every key has the same digit are skipped.
 */
export function sortUint32(keys: Uint32Array, tmp: Uint32Array): Uint32Array {
  const n = keys.length;
  if (tmp.length < n) throw new RangeError(`sortUint32: scratch of ${tmp.length} for ${n} keys`);
  if (n < 256) return keys.sort();
  const count = new Uint32Array(2048 * 3);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    count[k & 0x7ff]!++;
    count[2048 + ((k >>> 11) & 0x7ff)]!++;
    count[4096 + (k >>> 22)]!++;
  }
  let src = keys;
  let dst = tmp;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048;
    const shift = pass * 11;
    let sum = 0;
    let single = false;
    for (let d = base; d < base + 2048; d++) {
      const c = count[d]!;
      if (c === n) single = true;
      count[d] = sum;
      sum += c;
    }
    if (single) continue;
    for (let i = 0; i < n; i++) {
      const k = src[i]!;
      dst[count[base + ((k >>> shift) & 0x7ff)]!++] = k;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== keys) keys.set(src.subarray(0, n));
  return keys;
}
