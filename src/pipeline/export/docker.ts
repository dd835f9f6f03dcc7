/**
 * `ptp export docker --runtime triton`: a Docker build context serving the model with NVIDIA Triton (CPU):
 * the Triton repository (triton.ts) under models/, and a Dockerfile on a pinned Triton server image that runs as
 * the image's non-root user, exposes HTTP 8000, gRPC 8001 and metrics 8002, and checks /v2/health/ready.
 * The runtime `ptp` (the image running `ptp serve`) arrives with the serving stage.
 */
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { tempPath } from '../../core/temp-files';
import type { OperationContext } from '../operation';
import { ExportError } from './errors';
import { writeExportFolder, type ExportFile } from './folder';
import { exportTriton, type TritonOptions } from './triton';

/** The Triton server image the Dockerfile builds on (a pinned release tag, never `latest`). */
export const TRITON_IMAGE = 'nvcr.io/nvidia/tritonserver:24.08-py3';

export interface DockerOptions extends TritonOptions {
  readonly runtime?: 'triton' | 'ptp';
}

export interface DockerExportResult {
  readonly format: 'docker';
  readonly runtime: 'triton';
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

export async function exportDocker(model: string, out: string, o: DockerOptions = {}, ctx: OperationContext = {}): Promise<DockerExportResult> {
  const runtime = o.runtime ?? 'ptp';
  if (runtime !== 'triton') throw new ExportError('bad-option', 'export docker needs --runtime triton for now: the image running ptp serve comes with the serving stage');
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
