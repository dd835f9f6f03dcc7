import { promises as fsp } from 'node:fs';

/**
 * Random-access bytes: a file read through a handle (never read whole) or a buffer in memory.
 * `read` returns exactly `length` bytes or throws; callers check bounds against `size` first.
 */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Bytes already in memory (tests, small blobs). `read` returns views, not copies. */
export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.byteLength;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || offset + length > this.bytes.byteLength) {
      throw new RangeError(`read [${offset}, ${offset + length}) outside 0..${this.bytes.byteLength}`);
    }
    return this.bytes.subarray(offset, offset + length);
  }
  async close(): Promise<void> {}
}

/** A file opened once and read by positioned reads; memory use is what callers ask for. */
export class FileSource implements ByteSource {
  private constructor(
    private handle: fsp.FileHandle | undefined,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await fsp.open(path, 'r');
    try {
      const st = await handle.stat();
      return new FileSource(handle, st.size);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!this.handle) throw new Error('file source is closed');
    if (offset < 0 || offset + length > this.size) {
      throw new RangeError(`read [${offset}, ${offset + length}) outside 0..${this.size}`);
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) throw new RangeError(`unexpected end of file at ${offset + done}`);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
}
