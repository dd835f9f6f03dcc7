/**
 * A real Prometheus (Debian's `prometheus` package) for tests: started on 127.0.0.1 with its own temp storage,
 * scraping the given targets every second; `query` goes through its HTTP API (/api/v1/query), as Grafana would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS = process.env.PTP_PROMETHEUS ?? '/usr/bin/prometheus';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export class TestPrometheus {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly log: () => string,
  ) {}

  /** Starts Prometheus scraping `targets` (host:port) at `/metrics` every second, and waits until it is ready. */
  static async start(targets: readonly string[], job = 'ptp'): Promise<TestPrometheus> {
    if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: apt-get install prometheus (.ci/run does)`);
    const dir = mkdtempSync(join(tmpdir(), 'ptp-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', `  - job_name: ${job}`, '    metrics_path: /metrics', '    static_configs:', `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`, ''].join('\n'),
    );
    const port = await freePort();
    const child = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
    const p = new TestPrometheus(`http://127.0.0.1:${port}`, child, dir, () => stderr);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr}`);
      try {
        if ((await fetch(`${p.url}/-/ready`)).ok) return p;
      } catch {
        /* not yet listening */
      }
      if (Date.now() > deadline) {
        await p.stop();
        throw new Error(`prometheus did not get ready in 30 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async query(promql: string): Promise<Sample[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const doc = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (doc.status !== 'success') throw new Error(`prometheus query ${promql}: ${doc.error ?? res.status}`);
    return doc.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** Polls `promql` until `ok` holds for its samples (a scrape after the fact), or throws with the last answer. */
  async until(promql: string, ok: (s: Sample[]) => boolean, timeoutMs = 20_000): Promise<Sample[]> {
    const deadline = Date.now() + timeoutMs;
    let last: Sample[] = [];
    for (;;) {
      last = await this.query(promql);
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`prometheus: ${promql} still ${JSON.stringify(last)} after ${timeoutMs} ms; log: ${this.log().slice(-500)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
