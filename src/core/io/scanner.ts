import type { ByteSource } from './source';

/** Protobuf wire types this format uses (groups 3/4 are deprecated and never valid in ONNX). */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

export interface FieldHeader {
  /** Offset of the tag's first byte. */
  readonly start: number;
  readonly field: number;
  readonly wire: number;
  /** For length-delimited fields: offset of the payload and its length. */
  readonly payloadStart: number;
  readonly payloadLength: number;
  /** Offset just after the field. */
  readonly end: number;
}

/** Raised by the scanner; the model reader turns it into an OnnxFormatError naming the file. */
export class WireError extends Error {
  constructor(
    readonly kind: 'truncated' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

const WINDOW = 1 << 20;

/**
 * Walks protobuf fields of a byte range in a ByteSource without reading payloads it is told to skip.
 * Reads go through a 1 MiB window, so scanning the structure of a 2 GB file touches only the bytes of
 * the structure (tags, lengths, small messages), never the skipped weight payloads.
 */
export class FieldScanner {
  private win: Uint8Array = new Uint8Array(0);
  private winStart = 0;

  constructor(private readonly src: ByteSource) {}

  /** Reads the field header at `pos` (bounded by `limit`). */
  async header(pos: number, limit: number): Promise<FieldHeader> {
    // Fast path: the header (at most 20 bytes) is inside the current window — no I/O, no promise chain.
    if (!(pos >= this.winStart && Math.min(pos + 20, limit) <= this.winStart + this.win.length)) {
      await this.ensure(pos, Math.min(20, limit - pos, this.src.size - pos));
    }
    return this.headerInWindow(pos, limit);
  }

  /** The header at `pos` when its bytes are already in the window, else undefined (then use `header`). */
  headerSync(pos: number, limit: number): FieldHeader | undefined {
    if (pos >= this.winStart && Math.min(pos + 20, limit) <= this.winStart + this.win.length) return this.headerInWindow(pos, limit);
    return undefined;
  }

  private headerInWindow(pos: number, limit: number): FieldHeader {
    const start = pos;
    const [tag, afterTag] = this.varint(pos, limit);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new WireError('malformed', `invalid field number 0 at offset ${start}`);
    switch (wire) {
      case WireType.Varint: {
        const [, end] = this.varint(afterTag, limit);
        return { start, field, wire, payloadStart: afterTag, payloadLength: end - afterTag, end };
      }
      case WireType.Fixed64:
        return this.fixed(start, field, wire, afterTag, 8, limit);
      case WireType.Fixed32:
        return this.fixed(start, field, wire, afterTag, 4, limit);
      case WireType.LengthDelimited: {
        const [len, payloadStart] = this.varint(afterTag, limit);
        const remaining = limit - payloadStart;
        if (len > remaining) {
          throw new WireError('truncated', `field ${field} at offset ${start} claims ${len} bytes but only ${remaining} remain`);
        }
        return { start, field, wire, payloadStart, payloadLength: len, end: payloadStart + len };
      }
      default:
        throw new WireError('malformed', `invalid protobuf wire type ${wire} (field ${field}) at offset ${start}`);
    }
  }

  /** The bytes of [start, end), through the window when small. */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    const len = end - start;
    if (len > WINDOW / 2) return this.src.read(start, len);
    await this.ensure(start, len);
    const off = start - this.winStart;
    return this.win.subarray(off, off + len);
  }

  private fixed(start: number, field: number, wire: number, at: number, n: number, limit: number): FieldHeader {
    if (at + n > limit) {
      throw new WireError('truncated', `field ${field} at offset ${start} needs ${n} bytes past the end of its message`);
    }
    return { start, field, wire, payloadStart: at, payloadLength: n, end: at + n };
  }

  /** A varint inside the window (the caller ensured it); values above 2^53 lose precision, which only
   *  matters for lengths, and those are bounds-checked against the file anyway. */
  private varint(pos: number, limit: number): [number, number] {
    const avail = Math.min(10, limit - pos, this.winStart + this.win.length - pos);
    if (avail <= 0) throw new WireError('truncated', `unexpected end of data at offset ${pos}`);
    const base = pos - this.winStart;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < avail; i++) {
      const b = this.win[base + i]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return [result, pos + i + 1];
      mul *= 128;
    }
    if (avail < 10) throw new WireError('truncated', `varint at offset ${pos} runs past the end of its message`);
    throw new WireError('malformed', `varint at offset ${pos} is longer than 10 bytes`);
  }

  private async ensure(pos: number, len: number): Promise<void> {
    if (pos >= this.winStart && pos + len <= this.winStart + this.win.length) return;
    const size = Math.min(Math.max(WINDOW, len), this.src.size - pos);
    if (size < len || size <= 0) throw new WireError('truncated', `unexpected end of file at offset ${pos}`);
    this.win = await this.src.read(pos, size);
    this.winStart = pos;
  }
}

/** Encodes a protobuf varint (for writing field headers). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/** Tag + length prefix of a length-delimited field. */
export function lengthDelimitedHeader(field: number, length: number): Uint8Array {
  const tag = encodeVarint((field << 3) | WireType.LengthDelimited);
  const len = encodeVarint(length);
  const out = new Uint8Array(tag.length + len.length);
  out.set(tag, 0);
  out.set(len, tag.length);
  return out;
}
