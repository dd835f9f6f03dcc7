/**
 * 2-D convolution for the trainer (NHWC, explicit padding). The forward pass and the input gradient are tfjs's; the
 * filter gradient is im2col + one matMul, because tfjs-backend-cpu's own filter gradient is element-by-element and
 * some fifty times slower (seconds per batch for a small CNN). Dilated convolutions keep tfjs's gradients.
 */
import { tf } from './tf';

/** [[top, bottom], [left, right]] rows / columns of zeros around the image. */
export type Pads2D = readonly [readonly [number, number], readonly [number, number]];

export interface Conv2DSpec {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly pads: Pads2D;
}

/** y = conv(x, filter): x [B, H, W, C], filter [kH, kW, C, M] → [B, H', W', M]. */
export function conv2dNhwc(x: tf.Tensor4D, filter: tf.Tensor4D, spec: Conv2DSpec): tf.Tensor4D {
  const padding = [[0, 0], [...spec.pads[0]], [...spec.pads[1]], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
  const strides: [number, number] = [spec.strides[0], spec.strides[1]];
  const dil: [number, number] = [spec.dilations[0], spec.dilations[1]];
  if (dil[0] !== 1 || dil[1] !== 1) return tf.conv2d(x, filter, strides, padding, 'NHWC', dil);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, ff, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xx, ff]);
    const value = tf.conv2d(xx, ff, strides, padding, 'NHWC');
    return {
      value,
      gradFunc: (d: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = tf.conv2dTranspose(d, sf, sx.shape, strides, padding);
        const [kH, kW, C, M] = sf.shape;
        const cols = im2col(sx, kH, kW, spec);
        const dyFlat = tf.reshape(d, [-1, M]);
        const df = tf.reshape(tf.matMul(cols, dyFlat, true, false), [kH, kW, C, M]);
        return [dx, df];
      },
    };
  });
  return op(x, filter);
}

/** The patches of x under every output position: [B·H'·W', kH·kW·C] (zeros where the kernel overlaps the padding). */
export function im2col(x: tf.Tensor4D, kH: number, kW: number, spec: Conv2DSpec): tf.Tensor2D {
  const [B, H, W, C] = x.shape;
  const [[pt, pb], [pl, pr]] = spec.pads;
  const [sh, sw] = spec.strides;
  const Ho = Math.floor((H + pt + pb - kH) / sh) + 1;
  const Wo = Math.floor((W + pl + pr - kW) / sw) + 1;
  const src = x.dataSync() as Float32Array;
  const K = kH * kW * C;
  const out = new Float32Array(B * Ho * Wo * K);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        for (let i = 0; i < kH; i++) {
          const h = oh * sh - pt + i;
          for (let j = 0; j < kW; j++) {
            const w = ow * sw - pl + j;
            if (h >= 0 && h < H && w >= 0 && w < W) out.set(src.subarray(((b * H + h) * W + w) * C, ((b * H + h) * W + w + 1) * C), o);
            o += C;
          }
        }
      }
    }
  }
  return tf.tensor2d(out, [B * Ho * Wo, K]);
}
