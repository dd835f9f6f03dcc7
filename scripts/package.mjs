// Builds a platform-specific .vsix: onnxruntime-node ships every platform's binaries (288 MB); a package
// keeps only its target's. Usage: node scripts/package.mjs [--target linux-x64|linux-arm64|darwin-arm64|win32-x64|win32-arm64]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const i = process.argv.indexOf('--target');
const target = i > 0 ? process.argv[i + 1] : `${process.platform}-${process.arch}`;
if (!PLATFORMS.includes(target)) {
  console.error(`package: unsupported target '${target}' (one of ${PLATFORMS.join(', ')})`);
  process.exit(2);
}
const [os, arch] = target.split('-');
// vsce lets a `!` inclusion win over later exclusions, so drop what must not ship from dist/ itself:
// source maps of earlier dev builds and the graph test harness.
for (const entry of readdirSync('dist', { recursive: true })) {
  const f = String(entry);
  if (f.endsWith('.map') || /graph-harness\./.test(f)) rmSync(join('dist', f), { force: true });
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'ptp-package-'));
const ignoreFile = join(dir, '.vscodeignore');
// Keep only the target's native binaries: the generic `bin/**` inclusion becomes the target's folder.
const rules = readFileSync('.vscodeignore', 'utf8').replace('!node_modules/onnxruntime-node/bin/**', `!node_modules/onnxruntime-node/bin/napi-v*/${os}/${arch}/**`);
writeFileSync(ignoreFile, rules);
const out = `${pkg.name}-${target}-${pkg.version}.vsix`;
try {
  execFileSync(process.execPath, [
    'node_modules/@vscode/vsce/vsce', 'package', '--target', target, '--ignoreFile', ignoreFile,
    '--allow-missing-repository', '--skip-license', '--out', out,
  ], { stdio: 'inherit' });
  console.log(`package: wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
