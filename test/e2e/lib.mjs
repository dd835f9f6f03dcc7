/**
 * Shared plumbing of the end-to-end runner: a throw-away code-server (real VS Code 1.139, Node extension
 * host) per phase, Debian's Chromium through playwright-core, timeouts and guaranteed clean-up.
 * See /work/shared/notes/real-vscode-testing.md for why each flag is there.
 */
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifactsDir = join(repoRoot, 'test', 'e2e', '.artifacts');
export const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');
export const keepTemp = process.env.PTP_E2E_KEEP === '1';

export function log(msg) {
  process.stdout.write(`[e2e] ${msg}\n`);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// code-server

/** Every code-server this process started and has not yet stopped (killed on any exit path). */
const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // detached => its own process group: extension host + workers too
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

process.on('exit', () => {
  for (const cs of live) killGroup(cs.child, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`received ${sig}, stopping code-server`);
    for (const cs of live) killGroup(cs.child, 'SIGKILL');
    process.exit(130);
  });
}

const USER_SETTINGS = {
  'security.workspace.trust.enabled': false, // else Restricted Mode and the extension never activates
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Reads publisher/name/version of the extension in `dir`: the folder name VS Code expects. */
export function extensionId(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { id: `${pkg.publisher}.${pkg.name}`, folder: `${pkg.publisher}.${pkg.name}-${pkg.version}` };
}

/** `{ 'ptp.validateModel': 'Post-Training: Validate Model', ... }` from the manifest (+ package.nls.json). */
export function commandTitles(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const nlsFile = join(dir, 'package.nls.json');
  const nls = existsSync(nlsFile) ? JSON.parse(readFileSync(nlsFile, 'utf8')) : {};
  const text = (v) => {
    const m = typeof v === 'string' && /^%(.+)%$/.exec(v);
    const r = m ? nls[m[1]] : v;
    return typeof r === 'object' && r !== null ? r.message : r;
  };
  const out = {};
  for (const c of pkg.contributes?.commands ?? []) {
    const title = text(c.title);
    const category = text(c.category);
    out[c.command] = category ? `${category}: ${title}` : title;
  }
  return out;
}

/**
 * Starts code-server on a free 127.0.0.1 port with fresh user-data, extensions and XDG folders and a fresh
 * copy of test/fixtures/workspace, all under one os.tmpdir() folder.
 *
 * @param {object} o
 * @param {{node: string, codeServerEntry: string}} o.env   paths from scripts/vscode-env.mjs
 * @param {string} o.label                                   for logs and the temp folder name
 * @param {string} [o.installExtension]                      extension folder to symlink into --extensions-dir
 * @param {boolean} [o.smokeTestDriver]                      enable the driver (payload / codeAutomationExit)
 * @param {Record<string,string>} [o.extraEnv]
 */
export async function startCodeServer(o) {
  const base = mkdtempSync(join(tmpdir(), `ptp-e2e-${o.label}-`));
  const dirs = {
    base,
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    xdgConfig: join(base, 'xdg-config'),
    xdgData: join(base, 'xdg-data'),
    workspace: join(base, 'workspace'),
    log: join(base, 'code-server.log'),
  };
  for (const d of [dirs.extensions, dirs.xdgConfig, dirs.xdgData, join(dirs.userData, 'User')]) mkdirSync(d, { recursive: true });
  cpSync(fixtureWorkspace, dirs.workspace, { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  if (o.installExtension) {
    symlinkSync(o.installExtension, join(dirs.extensions, extensionId(o.installExtension).folder), 'dir');
  }

  const port = await freePort();
  const config = join(base, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    o.env.codeServerEntry,
    '--config', config,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    dirs.workspace,
  ];
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k.startsWith('VSCODE_')) continue;
    env[k] = v;
  }
  Object.assign(env, { XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, ...o.extraEnv });

  const out = createWriteStream(dirs.log);
  const child = spawn(o.env.node, args, { cwd: base, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));
  const cs = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    dirs,
    logTail(lines = 40) {
      try {
        return readFileSync(dirs.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      if (exited === null) {
        killGroup(child, 'SIGTERM');
        const done = await Promise.race([exitPromise, sleep(5000).then(() => null)]);
        if (!done) killGroup(child, 'SIGKILL');
        await Promise.race([exitPromise, sleep(2000)]);
      }
      // Children that outlived the server (the extension's worker, etc.) share its process group.
      killGroup(child, 'SIGKILL');
      live.delete(cs);
      if (!keepTemp) rmSync(base, { recursive: true, force: true, maxRetries: 3 });
      else log(`kept ${base}`);
    },
  };
  live.add(cs);

  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${cs.logTail()}`);
    try {
      const res = await fetch(`${cs.url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 60_000) {
      await cs.stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${cs.logTail()}`);
    }
    await sleep(200);
  }
  log(`code-server (${o.label}) up on ${cs.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return cs;
}

// ---------------------------------------------------------------------------------------------------------
// Chromium

export function chromiumPath() {
  const candidates = [process.env.PTP_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`Chromium not found (tried ${candidates.join(', ')}); apt-get install -y chromium`);
  return found;
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(30_000);
  return { browser, context };
}

export async function screenshot(page, name) {
  if (!page || page.isClosed()) return undefined;
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}
