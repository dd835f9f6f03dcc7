/**
 * The trainer's tensor library: tfjs-core with its pure-JavaScript CPU backend (no native download). The backend is
 * registered explicitly (a bare side-effect import would be dropped by the bundler), gradients are registered, and
 * the backend's one-time "install the node backend" console message is kept off the CLI's stderr.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { MathBackendCPU, version_cpu } from '@tensorflow/tfjs-backend-cpu';

export { tf };

/** What the report names as the training library. */
export const TRAINER_LIBRARY = `tfjs-core ${version_cpu} (cpu)`;

const NODE_BACKEND_HINT = 'looks like you are running TensorFlow.js in Node.js';
let ready: Promise<void> | undefined;

/** Selects the CPU backend (once per process) and warms it up with the hint message filtered out. */
export function ensureTf(): Promise<void> {
  ready ??= (async () => {
    if (!tf.findBackend('cpu')) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
    await tf.setBackend('cpu');
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (args.some((a) => typeof a === 'string' && a.includes(NODE_BACKEND_HINT))) return;
      warn(...args);
    };
    try {
      tf.tidy(() => tf.scalar(0).dataSync());
    } finally {
      console.warn = warn;
    }
  })();
  return ready;
}
