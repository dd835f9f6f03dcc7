/**
 * A mocha root-hook plugin (.mocharc.json `require`) that fails the unit run on a leaked file handle, so a new leak
 * shows at once instead of as Node's "Closing file descriptor N on garbage collection" warning some minutes later
 * (an error in later Node versions, and a real leak in a long-running extension host):
 *   - every FileHandle opened through fs/promises during the run is tracked with the stack that opened it; one
 *     still open after the last test fails the run, naming the file and the stack;
 *   - any such warning that Node emits anyway (a handle opened another way) fails it too.
 */
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';

const live = new Map<object, { file: string; stack: string }>();
const warnings: string[] = [];

const open = fsp.open;
(fsp as { open: typeof fsp.open }).open = async function (...args: Parameters<typeof fsp.open>) {
  const handle = await open.apply(fsp, args);
  live.set(handle, { file: String(args[0]), stack: (new Error().stack ?? '').split('\n').slice(2, 8).join('\n') });
  const close = handle.close.bind(handle);
  handle.close = async () => {
    live.delete(handle);
    return close();
  };
  return handle;
} as typeof fsp.open;

process.on('warning', (w) => {
  if (/Closing (file descriptor|a FileHandle)/.test(w.message)) warnings.push(w.message);
});

export const mochaHooks = {
  async afterAll(): Promise<void> {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 50));
    const open = [...live.values()].map((h) => `${h.file}\n${h.stack}`);
    assert.deepEqual(open, [], `file handles left open by the tests or the code under test:\n${open.join('\n\n')}`);
    assert.deepEqual(warnings, [], 'Node closed file handles on garbage collection (a leak)');
  },
};
