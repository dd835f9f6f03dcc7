/**
 * `ptp export docker`: a Docker build context that serves the model.
 * - `--runtime ptp` (default): this project's `ptp serve` (Open Inference Protocol, REST 8000 + gRPC 8001) on a
 *   pinned Node image: the bundled runtime (cli.js, its serve-instance and data-worker threads, the gRPC schema)
 *   under ptp/, whose package.json pins the one native dependency, onnxruntime-node, installed at build time;
 *   the model under model/<name>/ (with its external data) and serve.yaml naming it. Runs as the image's
 *   non-root `node` user, binds 0.0.0.0 inside the container, checks /v2/health/ready with Node's fetch (the
 *   slim image has no curl).
 * - `--runtime triton`: the Triton repository (triton.ts) under models/ and a Dockerfile on a pinned Triton
 *   server image that runs as the image's non-root user, exposes HTTP 8000, gRPC 8001 and metrics 8002.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { inspect, openModel } from '../../core';
import { tempPath } from '../../core/temp-files';
import type { OperationContext } from '../operation';
import { TOOL_VERSION } from '../shared/version';
import { ExportError } from './errors';
import { writeExportFolder, type ExportFile } from './folder';
import { exportTriton, modelNameFor, type TritonOptions } from './triton';

/** The Triton server image the Dockerfile builds on (a pinned release tag, never `latest`). */
export const TRITON_IMAGE = 'nvcr.io/nvidia/tritonserver:24.08-py3';
/** The Node image `ptp serve` runs on: the Node release the tests run the tool on, slim Debian. */
export const NODE_IMAGE = 'node:24.21.0-bookworm-slim';

export interface DockerOptions extends TritonOptions {
  readonly runtime?: 'triton' | 'ptp';
}

export interface DockerExportResult {
  readonly format: 'docker';
  readonly runtime: 'triton' | 'ptp';
  readonly model: string;
  readonly output: string;
  readonly files: readonly string[];
  readonly name: string;
  readonly image: string;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, base)));
    else out.push(path.relative(base, p));
  }
  return out;
}

/** The files of the ptp runtime the image needs, relative to its root (dist/… and schema/…). */
const RUNTIME_FILES = ['dist/cli.js', 'dist/serve-instance.js', 'dist/data-worker.js', 'schema/kserve/grpc_predict_v2.proto'];

/** The built runtime: the folder holding dist/cli.js — this bundle's parent, or the source tree's build. */
export function ptpRuntimeRoot(): string {
  for (const up of ['..', path.join('..', '..', '..')]) {
    const root = path.resolve(__dirname, up);
    if (RUNTIME_FILES.every((f) => existsSync(path.join(root, f)))) return root;
  }
  throw new ExportError('bad-option', `the ptp runtime is not built next to ${__dirname} (${RUNTIME_FILES.join(', ')}): run npm run build, or use --runtime triton`);
}

/** The onnxruntime-node release this tool runs on (read from its package.json; the native module is not loaded). */
function onnxruntimeNodeVersion(): string {
  try {
    return (createRequire(__filename)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    throw new ExportError('bad-option', 'cannot find onnxruntime-node next to the ptp runtime: it pins the image\'s inference engine');
  }
}

async function exportPtpImage(model: string, out: string, o: DockerOptions, ctx: OperationContext): Promise<DockerExportResult> {
  const file = path.resolve(model);
  const name = o.name ?? modelNameFor(file);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ExportError('bad-name', `"${name}" is not a usable model name (letters, digits, ".", "_", "-")`);
  const version = o.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 1) throw new ExportError('bad-option', `--version must be an integer ≥ 1, got ${version}`);
  const maxBatchSize = o.maxBatchSize ?? 32;
  const maxQueueDelayUs = o.maxQueueDelayUs ?? 100;
  const instances = o.instances ?? 1;
  for (const [what, v, min] of [['--max-batch-size', maxBatchSize, 0], ['--max-queue-delay-us', maxQueueDelayUs, 0], ['--instances', instances, 1]] as const) {
    if (!Number.isSafeInteger(v) || v < min) throw new ExportError('bad-option', `${what} must be an integer ≥ ${min}, got ${v}`);
  }
  const root = ptpRuntimeRoot();
  const ort = onnxruntimeNodeVersion();
  ctx.onProgress?.({ message: `reading ${path.basename(file)}…` });
  const m = await openModel(file);
  let external: string[];
  try {
    external = [...new Set(inspect(m).external_data.map((x) => path.normalize(x.location)))];
  } finally {
    await m.close();
  }
  const modelDir = path.posix.join('model', name);
  const serveYaml = stringify({
    host: '0.0.0.0',
    http_port: 8000,
    grpc_port: 8001,
    models: [
      {
        name,
        versions: [{ version: String(version), model: `${modelDir}/model.onnx` }],
        batching: { max_batch_size: maxBatchSize, max_queue_delay_us: maxQueueDelayUs },
        instances,
      },
    ],
  });
  const runtimePackage = {
    name: 'ptp-serve-runtime',
    private: true,
    version: TOOL_VERSION,
    description: `ptp serve (Post-Training Pipeline ${TOOL_VERSION}) for the Docker image of ${name}`,
    license: 'MIT',
    dependencies: { 'onnxruntime-node': ort },
  };
  const dockerfile = [
    `# Written by ptp export docker: ptp serve (Post-Training Pipeline ${TOOL_VERSION}) serving ${name} over the`,
    '# Open Inference Protocol (KServe V2): REST on 8000, gRPC on 8001, Prometheus /metrics on 8000.',
    `#   docker build -t ${name.toLowerCase()} . && docker run -p 8000:8000 -p 8001:8001 ${name.toLowerCase()}`,
    `FROM ${NODE_IMAGE}`,
    'ENV NODE_ENV=production',
    'WORKDIR /opt/ptp',
    '# onnxruntime-node, pinned to the release ptp was tested with (its CUDA download skipped: the image serves on the CPU).',
    'COPY ptp/package.json ptp/.npmrc ./',
    'RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force',
    'COPY ptp/dist/ ./dist/',
    'COPY ptp/schema/ ./schema/',
    'COPY model/ /srv/model/',
    'COPY serve.yaml /srv/serve.yaml',
    'USER node',
    'EXPOSE 8000 8001',
    'HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "-e", "fetch(\'http://127.0.0.1:8000/v2/health/ready\').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]',
    'ENTRYPOINT ["node", "/opt/ptp/dist/cli.js", "serve", "--config", "/srv/serve.yaml"]',
    '',
  ].join('\n');
  const files: ExportFile[] = [
    { path: 'Dockerfile', text: dockerfile },
    { path: '.dockerignore', text: '*\n!ptp/\n!model/\n!serve.yaml\n' },
    { path: 'serve.yaml', text: `# Written by ptp export docker: the server of the image (paths relative to this file).\n${serveYaml}` },
    { path: 'ptp/package.json', text: `${JSON.stringify(runtimePackage, null, 2)}\n` },
    { path: 'ptp/.npmrc', text: 'onnxruntime-node-install=skip\n' },
    ...RUNTIME_FILES.map((f) => ({ path: path.join('ptp', f), copyFrom: path.join(root, f) })),
    { path: path.join(modelDir, 'model.onnx'), copyFrom: file },
    ...external.map((x) => ({ path: path.join(modelDir, x), copyFrom: path.join(path.dirname(file), x) })),
  ];
  ctx.onProgress?.({ message: `writing the Docker build context ${path.resolve(out)}…` });
  const written = await writeExportFolder(out, files, o.force ?? false, ctx);
  return { format: 'docker', runtime: 'ptp', model: file, output: path.resolve(out), files: written, name, image: NODE_IMAGE };
}

export async function exportDocker(model: string, out: string, o: DockerOptions = {}, ctx: OperationContext = {}): Promise<DockerExportResult> {
  const runtime = o.runtime ?? 'ptp';
  if (runtime === 'ptp') return exportPtpImage(model, out, o, ctx);
  if (runtime !== 'triton') throw new ExportError('bad-option', `--runtime must be ptp or triton, got "${String(runtime)}"`);
  // The repository is built first in a scratch folder beside OUT, then becomes models/ of the context.
  const scratch = tempPath(path.resolve(out), 'repo');
  try {
    const repo = await exportTriton(model, scratch, o, ctx);
    const dockerfile = [
      '# Written by ptp export docker --runtime triton: Triton serving the model on the CPU (Open Inference Protocol).',
      `FROM ${TRITON_IMAGE}`,
      'COPY --chown=triton-server:triton-server models/ /models/',
      'USER triton-server',
      'EXPOSE 8000 8001 8002',
      'HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://localhost:8000/v2/health/ready || exit 1',
      'ENTRYPOINT ["tritonserver", "--model-repository=/models", "--strict-readiness=true"]',
      '',
    ].join('\n');
    const files: ExportFile[] = [
      { path: 'Dockerfile', text: dockerfile },
      { path: '.dockerignore', text: '*\n!models/\n' },
      ...(await listFiles(scratch)).map((f) => ({ path: path.join('models', f), copyFrom: path.join(scratch, f) })),
    ];
    const written = await writeExportFolder(out, files, o.force ?? false, ctx);
    return { format: 'docker', runtime: 'triton', model: repo.model, output: path.resolve(out), files: written, name: repo.name, image: TRITON_IMAGE };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
