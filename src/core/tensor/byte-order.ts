/**
 * Little-endian byte handling for raw_data: typed arrays use the host byte order, ONNX uses little-endian.
 * On a big-endian host the helpers swap; on little-endian hosts (all usual ones) they only copy or view.
 */

/** True when the host stores multi-byte numbers least significant byte first. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapInPlace(bytes: Uint8Array, elementSize: number): void {
  for (let start = 0; start + elementSize <= bytes.length; start += elementSize) {
    bytes.subarray(start, start + elementSize).reverse();
  }
}

/**
 * A fresh, aligned ArrayBuffer holding `bytes` in host order (elements of `elementSize` bytes), suitable for
 * a typed-array view. Always a copy, so decoded values never alias (and keep alive) the file's buffer.
 */
export function alignedHostCopy(bytes: Uint8Array, elementSize: number): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (!LITTLE_ENDIAN_HOST && elementSize > 1) swapInPlace(copy, elementSize);
  return copy.buffer;
}

/** The 16-bit little-endian words of `bytes`: a view when aligned on a little-endian host, else a copy. */
export function readUint16LE(bytes: Uint8Array): Uint16Array {
  const n = bytes.length >> 1;
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  return new Uint16Array(alignedHostCopy(bytes.subarray(0, n * 2), 2));
}

type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** The bytes of a freshly made typed array in little-endian order (the array's own memory on LE hosts). */
export function littleEndianBytes(values: NumericTypedArray): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (!LITTLE_ENDIAN_HOST && values.BYTES_PER_ELEMENT > 1) swapInPlace(bytes, values.BYTES_PER_ELEMENT);
  return bytes;
}
