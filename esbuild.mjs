// Bundles the extension host, the CLI/worker, the benchmarks (Node, CommonJS) and each webview app (browser).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeBuilds = [
  { entryPoints: { extension: 'src/extension/extension.ts' }, external: ['vscode', 'onnxruntime-node'] },
  { entryPoints: { cli: 'src/cli/main.ts' }, external: ['onnxruntime-node'], banner: { js: '#!/usr/bin/env node' } },
  // worker thread that reads data sets while the model runs (src/pipeline/data/prefetch.ts)
  { entryPoints: { 'data-worker': 'src/pipeline/data/prefetch-worker.ts' }, external: ['onnxruntime-node'] },
  // instance threads of `ptp serve`, one onnxruntime session each (src/pipeline/serve/instance-pool.ts)
  { entryPoints: { 'serve-instance': 'src/pipeline/serve/instance-worker.ts' }, external: ['onnxruntime-node'] },
  { entryPoints: { bench: 'bench/main.ts' }, external: ['onnxruntime-node', 'playwright-core', 'autocannon'] },
  { entryPoints: { 'test/suite': 'test/host/index.ts' }, external: ['vscode', 'onnxruntime-node', 'mocha'] },
].filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p)));

const webviewApps = existsSync('webview')
  ? readdirSync('webview', { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'shared' && existsSync(`webview/${d.name}/main.ts`))
      .map((d) => d.name)
  : [];

const configs = [
  ...nodeBuilds.map((b) => ({ ...common, ...b, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist' })),
  ...webviewApps.map((app) => ({
    ...common,
    entryPoints: { [`webview/${app}`]: `webview/${app}/main.ts` },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: 'dist',
    loader: { '.css': 'css' },
  })),
];

// the graph component's layout worker (started from a Blob URL inside the webview)
if (existsSync('webview/graph/layout-worker.ts')) {
  configs.push({ ...common, entryPoints: { 'webview/graph-layout-worker': 'webview/graph/layout-worker.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist' });
}

if (watch) {
  for (const c of configs) (await esbuild.context(c)).watch();
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
