/**
 * Measures one variant of a benchmark in a fresh Node process, so that variants don't share a heap, a page
 * of allocator state or a peak-RSS counter. The parent forks this same bundle (`dist/bench.js`) with the
 * hidden sub-command `__child <bench> <variant> <args…>`; the child runs the operation once, reads
 * `process.resourceUsage().maxRSS` and reports a `ChildReport` over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** The hidden sub-command of bench/main.ts. */
export const CHILD_COMMAND = '__child';

/** One measured operation; returns facts about what it read (checked by the parent). */
export type Variant = (args: readonly string[]) => Promise<Record<string, unknown>>;

export interface ChildReport {
  readonly ok: boolean;
  /** Wall time of the operation alone (not the process start), ms. */
  readonly ms: number;
  /** Peak resident set size of the whole child process, bytes. */
  readonly maxRssBytes: number;
  /** Peak RSS before the operation started (Node + the bundle loaded), bytes. */
  readonly baselineRssBytes: number;
  readonly facts: Record<string, unknown>;
  readonly error?: string;
}

/** Child side: runs `variant`, then reports and exits. */
export async function runChild(variant: Variant, args: readonly string[]): Promise<void> {
  const baselineRssBytes = process.resourceUsage().maxRSS * 1024;
  let report: ChildReport;
  const t0 = performance.now();
  try {
    const facts = await variant(args);
    const ms = performance.now() - t0;
    report = { ok: true, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes, facts };
  } catch (e) {
    const ms = performance.now() - t0;
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    report = { ok: false, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes, facts: {}, error };
  }
  if (!process.send) {
    console.log(JSON.stringify(report));
    return;
  }
  process.send(report, () => process.exit(0));
}

const live = new Set<ChildProcess>();

/** Kills the children still running (when the parent is interrupted). */
export function killChildren(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** Parent side: forks the bench bundle for one run of `bench`/`variant` and waits for its report. */
export function measureInChild(
  bench: string,
  variant: string,
  args: readonly string[],
  timeoutMs = 15 * 60_000,
): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1], [CHILD_COMMAND, bench, variant, ...args], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    live.add(child);
    let stderr = '';
    let report: ChildReport | undefined;
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (m) => {
      report = m as ChildReport;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (report) return resolve(report);
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`${bench}/${variant}: the child ${why} without a report${stderr ? `:\n${stderr.trim()}` : ''}`));
    });
  });
}
