/**
 * Image folders: `<root>/<class>/*.png|jpg|jpeg`, classes and files in sorted (code point) order, as
 * torchvision's ImageFolder. Columns: `image` (tensor [C,H,W] or [H,W,C]), `label` (class index) and `path`
 * (relative to the root). Images are decoded one by one as the batch needs them.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ValueSummary } from '../../core/report-types';
import { throwIfAborted, type OperationContext } from '../operation';
import { DatasetError } from './errors';
import { decodeImage, resizeBilinear, toChannels, writeNormalised } from './image-ops';
import { checkBatchSize } from './options';
import type { ColumnKind, DataBatch, DatasetSource, ImageOptions } from './types';

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

/** Code point order (not locale order), so the class indices do not depend on the machine. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Resolved {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly scale: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly layout: 'NCHW' | 'NHWC';
}

function resolveOptions(root: string, o: ImageOptions): Resolved {
  const bad = (msg: string) => new DatasetError(root, 'invalid-option', `image options: ${msg}`);
  for (const [k, v] of [['width', o.width], ['height', o.height]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw bad(`${k} must be a positive integer, got ${v}`);
  }
  if (o.channels !== 1 && o.channels !== 3) throw bad(`channels must be 1 or 3, got ${o.channels}`);
  const perChannel = (name: string, v: readonly number[] | undefined, dflt: number) => {
    if (v === undefined) return new Array<number>(o.channels).fill(dflt);
    if (v.length === 1) return new Array<number>(o.channels).fill(v[0]);
    if (v.length !== o.channels) throw bad(`${name} needs 1 or ${o.channels} values (one per channel), got ${v.length}`);
    return [...v];
  };
  const mean = perChannel('mean', o.mean, 0);
  const std = perChannel('std', o.std, 1);
  if (std.some((s) => s === 0 || !Number.isFinite(s))) throw bad('std values must be finite and non-zero');
  const layout = o.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') throw bad(`layout must be NCHW or NHWC, got ${layout}`);
  return { width: o.width, height: o.height, channels: o.channels, scale: o.scale ?? 1 / 255, mean, std, layout };
}

/**
 * Image options that fit a model input of shape [N, C, H, W] (NCHW) or [N, H, W, C] (NHWC) with C = 1 or 3 and
 * fixed H, W; `extra` (scale, mean, std) is merged in. Undefined when the input does not look like an image.
 */
export function imageOptionsForInput(input: ValueSummary, extra: Partial<ImageOptions> = {}): ImageOptions | undefined {
  const s = input.shape;
  if (!s || s.length !== 4) return undefined;
  const isC = (d: unknown) => d === 1 || d === 3;
  const num = (d: unknown) => typeof d === 'number' && d > 0;
  if (isC(s[1]) && num(s[2]) && num(s[3])) {
    return { ...extra, channels: s[1] as 1 | 3, height: s[2] as number, width: s[3] as number, layout: 'NCHW' };
  }
  if (isC(s[3]) && num(s[1]) && num(s[2])) {
    return { ...extra, channels: s[3] as 1 | 3, height: s[1] as number, width: s[2] as number, layout: 'NHWC' };
  }
  return undefined;
}

export async function openImageFolder(root: string, options?: ImageOptions): Promise<DatasetSource> {
  const entries = await fsp.readdir(root, { withFileTypes: true });
  const classNames = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  const loose = entries.filter((e) => e.isFile() && IMAGE_EXT.has(path.extname(e.name).toLowerCase())).length;
  if (classNames.length === 0) {
    throw new DatasetError(
      root,
      'malformed',
      `an image folder needs one subfolder per class (<folder>/<class>/*.png|jpg); found no subfolders${loose ? ` but ${loose} images directly in it` : ''}`,
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  let skipped = 0;
  for (let c = 0; c < classNames.length; c++) {
    const names = (await fsp.readdir(path.join(root, classNames[c]), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort(byCodePoint);
    for (const name of names) {
      if (IMAGE_EXT.has(path.extname(name).toLowerCase())) {
        files.push(`${classNames[c]}/${name}`);
        labels.push(c);
      } else if (!name.startsWith('.')) skipped++;
    }
  }
  if (files.length === 0) throw new DatasetError(root, 'malformed', `no .png/.jpg/.jpeg images in the class subfolders (${classNames.join(', ')})`);
  const notes: string[] = [];
  if (skipped) notes.push(`${skipped} file(s) in the class folders skipped (not .png/.jpg/.jpeg)`);
  if (loose) notes.push(`${loose} image(s) directly in the folder skipped (images belong in class subfolders)`);
  let opts = options;
  if (!opts) {
    const first = decodeOrThrow(root, files[0], await fsp.readFile(path.join(root, files[0])));
    opts = { width: first.width, height: first.height, channels: 3 };
    notes.push(`no image options given: ${first.width}×${first.height} (the first image's size), RGB, scaled by 1/255, NCHW`);
  }
  const r = resolveOptions(root, opts);
  const shape = r.layout === 'NCHW' ? [r.channels, r.height, r.width] : [r.height, r.width, r.channels];
  const kinds = new Map<string, ColumnKind>([
    ['image', 'tensor'],
    ['label', 'number'],
    ['path', 'text'],
  ]);
  return {
    file: root,
    format: 'images',
    columns: ['image', 'label', 'path'],
    kinds,
    tensors: ['image'],
    tensorShapes: new Map([['image', shape]]),
    textColumns: ['path'],
    rowCount: files.length,
    classNames,
    notes,
    batches: (batchSize, ctx) => imageBatches(root, files, labels, r, shape, checkBatchSize(root, batchSize), ctx),
  };
}

function decodeOrThrow(root: string, rel: string, bytes: Uint8Array) {
  try {
    return decodeImage(bytes);
  } catch (e) {
    throw new DatasetError(root, 'malformed', `image "${rel}" cannot be decoded: ${(e as Error).message}`);
  }
}

async function* imageBatches(
  root: string,
  files: readonly string[],
  labels: readonly number[],
  o: Resolved,
  shape: number[],
  batchSize: number,
  ctx?: OperationContext,
): AsyncGenerator<DataBatch> {
  const per = o.width * o.height * o.channels;
  for (let start = 0; start < files.length; start += batchSize) {
    throwIfAborted(ctx?.signal);
    const end = Math.min(files.length, start + batchSize);
    const n = end - start;
    const data = new Float32Array(n * per);
    const label = new Float64Array(n);
    const paths = files.slice(start, end);
    for (let i = 0; i < n; i++) {
      const img = decodeOrThrow(root, paths[i], await fsp.readFile(path.join(root, paths[i])));
      const px = resizeBilinear(toChannels(img, o.channels), img.width, img.height, o.channels, o.width, o.height);
      writeNormalised(px, o.width, o.height, o.channels, data, i * per, o.layout, o.scale, o.mean, o.std);
      label[i] = labels[start + i];
    }
    yield {
      startRow: start,
      rowCount: n,
      columns: new Map<string, Float64Array | string[]>([
        ['label', label],
        ['path', paths],
      ]),
      tensors: new Map([['image', { shape, data }]]),
      rowFiles: paths,
    };
    ctx?.onProgress?.({ fraction: end / files.length });
  }
}
