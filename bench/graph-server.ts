/**
 * Serves the graph harness for the benchmark and the checks: `/` is webview/graph-harness/index.html,
 * `/dist/webview/*` the built bundles, on 127.0.0.1 and a free port. Also builds the layout worker bundle
 * (dist/webview/graph-layout-worker.js) with the esbuild CLI when esbuild.mjs does not make it yet.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

export const REPO = resolve(__dirname, '..');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

export interface HarnessServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the worker bundle when missing or older than its sources. */
export function ensureWorkerBundle(): void {
  const out = join(REPO, 'dist/webview/graph-layout-worker.js');
  const sources = ['layout-worker.ts', 'layout-run.ts', 'layered-layout.ts', 'layout-dagre.ts', 'layout-types.ts'].map((f) => join(REPO, 'webview/graph', f));
  const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return;
  // esbuild's JS API in a separate Node process (esbuild cannot be bundled into dist/bench.js).
  const options = { entryPoints: ['webview/graph/layout-worker.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outfile: out, logLevel: 'warning' };
  execFileSync(process.execPath, ['-e', `require('esbuild').buildSync(${JSON.stringify(options)})`], { cwd: REPO, stdio: 'inherit' });
}

export function startHarnessServer(): Promise<HarnessServer> {
  for (const f of ['dist/webview/graph-harness.js', 'dist/webview/graph-harness.css']) {
    if (!existsSync(join(REPO, f))) throw new Error(`${f} is missing: run \`node esbuild.mjs\` first.`);
  }
  ensureWorkerBundle();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path === '/' || path === '/index.html' ? join(REPO, 'webview/graph-harness/index.html') : join(REPO, normalize(path));
    const allowed = file.startsWith(join(REPO, 'dist/webview') + '/') || file === join(REPO, 'webview/graph-harness/index.html');
    if (!allowed || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const CHROMIUM_PATH = process.env.PTP_CHROMIUM ?? '/usr/bin/chromium';
