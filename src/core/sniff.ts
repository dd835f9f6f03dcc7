/**
 * Recognises common files that are NOT ONNX protobufs from their first bytes, so users get a precise
 * message ("a JSON text file", "a ZIP archive (PyTorch .pt?)") instead of a protobuf parse error.
 * Returns undefined when the bytes may well be an ONNX model.
 */
export function sniffNonOnnx(head: Uint8Array): string | undefined {
  const ascii = (n: number): string => String.fromCharCode(...head.subarray(0, n));
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return 'this is a ZIP archive (a PyTorch .pt/.pth checkpoint or a Keras .keras file?); export it to ONNX first';
  }
  if (head.length >= 8 && head[0] === 0x89 && ascii(4).slice(1) === 'HDF') return 'this is an HDF5 file (a Keras .h5 model?)';
  if (head.length >= 8 && String.fromCharCode(...head.subarray(4, 8)) === 'TFL3') return 'this is a TensorFlow Lite flatbuffer';
  if (head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) return 'this is a Python pickle (a PyTorch or scikit-learn object?)';
  if (head.length >= 6 && head[0] === 0x93 && ascii(6).slice(1) === 'NUMPY') return 'this is a NumPy .npy array';
  if (head.length >= 5 && ascii(5) === '%PDF-') return 'this is a PDF document';
  if (head.length >= 4 && head[0] === 0x1f && head[1] === 0x8b) return 'this is a gzip-compressed file; decompress it first';
  if (looksLikeText(head)) {
    const first = firstNonSpace(head);
    if (first === 0x7b || first === 0x5b) return 'this is a JSON text file';
    if (first === 0x3c) return 'this is an XML/HTML text file';
    if (startsWith(head, 'ir_version')) return 'this is ONNX text format (protobuf text), not the binary format';
    return 'this is a text file';
  }
  return undefined;
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0xc2) printable++;
  }
  // Valid ONNX starts with a tag byte such as 0x08 (ir_version) and soon holds non-text varints.
  return printable / head.length > 0.97 && head[0] !== 0x08;
}

function firstNonSpace(head: Uint8Array): number | undefined {
  for (const b of head) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  return undefined;
}

function startsWith(head: Uint8Array, s: string): boolean {
  const t = String.fromCharCode(...head.subarray(0, 64)).trimStart();
  return t.startsWith(s);
}
