/**
 * A writers' lock: a file created with O_EXCL (`wx`) holding the owner's pid, host and start time. Every change to
 * the registry happens under one, so two processes registering at once get distinct versions; a pipeline's run state
 * is read, merged and written under another.
 * A lock whose owner is gone (same host, pid not alive) or that is older than `staleMs` is stale: it is removed
 * (by renaming it aside first, so two waiters cannot both break it) and taken. Waiting is bounded.
 */
import { hostname } from 'node:os';
import { open, readFile, rename, unlink } from 'node:fs/promises';

export interface LockOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 10 min). */
  readonly staleMs?: number;
  readonly signal?: AbortSignal;
  /** The caller's own typed error when the lock stays taken past the timeout (default: a plain Error naming the file). */
  readonly busy?: (file: string) => Error;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly created: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  let owner: Partial<Owner>;
  try {
    owner = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // released meanwhile: just retry
    return true; // unreadable or half-written by a crashed owner
  }
  if (typeof owner.created === 'number' && Date.now() - owner.created > staleMs) return true;
  return owner.host === hostname() && typeof owner.pid === 'number' && owner.pid !== process.pid && !alive(owner.pid);
}

/** Runs `fn` holding the lock file `file`. */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now() } satisfies Owner));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(file, staleMs)) {
      const aside = `${file}.stale.${process.pid}.${Date.now()}`;
      try {
        await rename(file, aside);
        await unlink(aside).catch(() => undefined);
      } catch {
        // someone else broke it first
      }
      continue;
    }
    if (Date.now() > deadline) throw options.busy?.(file) ?? new Error(`${file} is locked by another process`);
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 200);
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
