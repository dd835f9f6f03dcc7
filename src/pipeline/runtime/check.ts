/** The `runtime-check` operation: can onnxruntime create a session for the model? */
import type { RuntimeCheckParams, RuntimeCheckResult } from '../../protocol/worker';
import type { OperationContext } from '../operation';
import { throwIfAborted } from '../operation';
import { isRuntimeError } from './errors';
import { ortVersion } from './ort';
import { createSession } from './session';

/**
 * Tries to create an onnxruntime session. A refusal is a result (`ok: false` with onnxruntime's message), not an
 * error; a missing file (OnnxError 'not-found') or an unloadable onnxruntime (RuntimeError 'ort-unavailable') throws.
 */
export async function checkRuntime(params: RuntimeCheckParams, ctx: OperationContext = {}): Promise<RuntimeCheckResult> {
  throwIfAborted(ctx.signal);
  const version = ortVersion();
  ctx.onProgress?.({ message: 'Creating onnxruntime session', fraction: 0 });
  const start = performance.now();
  try {
    const session = await createSession(params.model, params);
    const ms = performance.now() - start;
    const result: RuntimeCheckResult = {
      ok: true,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      ortVersion: version,
      ms,
    };
    await session.release();
    return result;
  } catch (e) {
    if (!isRuntimeError(e) || e.code !== 'ort-refused') throw e;
    const ms = performance.now() - start;
    return { ok: false, message: e.ortMessage ?? e.message, inputNames: [], outputNames: [], ortVersion: version, ms };
  }
}
