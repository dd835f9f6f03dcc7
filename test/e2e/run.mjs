#!/usr/bin/env node
/**
 * End-to-end tests in a real VS Code: `npm run test:e2e` (= `npm run build && node test/e2e/run.mjs`).
 *
 * 1. Provisions Node 24 + code-server 4.139.1 (VS Code 1.139) into .cache/vscode-env (scripts/vscode-env.mjs;
 *    skipped when already there).
 * 2. Phase "host": the in-host mocha suite (test/host, bundled to dist/test/suite.js) runs inside the
 *    extension host, loaded the way @vscode/test-electron does it: extensionDevelopmentPath = this repo,
 *    extensionTestsPath = dist/test/suite.js, passed as the smoke-test driver's `payload`; the exit code
 *    comes back through `codeAutomationExit`, per-test results through $PTP_HOST_RESULTS (a JSON file).
 * 3. Phase "ui": a fresh code-server with the extension installed by symlinking the repo into
 *    --extensions-dir as <publisher>.<name>-<version> (what a user's install looks like: no Extension
 *    Development Host mode, no payload) and playwright-core driving Debian's Chromium (test/e2e/ui-tests.mjs).
 *
 * Every phase gets its own temp user-data/extensions/workspace under os.tmpdir() and an overall timeout;
 * code-server (and everything it started) and Chromium are stopped on every path. Screenshots of failures go
 * to test/e2e/.artifacts/. Ends with the line `N passed, N failed`; exit code 1 if anything failed.
 *
 * Options: --only=host|ui   PTP_E2E_EXTENSION_DIR=<dir> (test another build of the extension; default: repo)
 *          PTP_E2E_GREP=<regex> (only the UI tests whose name matches)   PTP_E2E_KEEP=1 (keep temp folders)   PTP_E2E_CHROMIUM=<path>   PTP_E2E_VERBOSE=1
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureVscodeEnv } from '../../scripts/vscode-env.mjs';
import {
  artifactsDir,
  commandTitles,
  extensionId,
  launchBrowser,
  log,
  repoRoot,
  screenshot,
  startCodeServer,
  withTimeout,
} from './lib.mjs';
import { uiTests } from './ui-tests.mjs';

const PROVISION_TIMEOUT = Number(process.env.PTP_E2E_PROVISION_TIMEOUT_MS ?? 15 * 60_000);
const HOST_PHASE_TIMEOUT = Number(process.env.PTP_E2E_HOST_TIMEOUT_MS ?? 10 * 60_000);
const UI_PHASE_TIMEOUT = Number(process.env.PTP_E2E_UI_TIMEOUT_MS ?? 15 * 60_000);
const verbose = process.env.PTP_E2E_VERBOSE === '1';
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const extensionDir = resolve(process.env.PTP_E2E_EXTENSION_DIR ?? repoRoot);
const suiteJs = join(extensionDir, 'dist', 'test', 'suite.js');

/** @type {{phase: string, title: string, ok: boolean, ms?: number, error?: string}[]} */
const results = [];
/** Facts for the summary. */
const facts = {};
const record = (phase, title, ok, ms, error) => {
  results.push({ phase, title, ok, ms, error });
  const mark = ok ? 'PASS' : 'FAIL';
  log(`${mark} [${phase}] ${title}${ms !== undefined ? ` (${Math.round(ms)} ms)` : ''}`);
  if (!ok && error) process.stdout.write(`${indent(error)}\n`);
};
const indent = (s) =>
  String(s)
    .split('\n')
    .slice(0, 25)
    .map((l) => `      ${l}`)
    .join('\n');

/** Runs `body(cs, page)` against a fresh code-server + Chromium, always tearing both down. */
async function withWorkbench(label, csOptions, timeoutMs, body) {
  let cs;
  let browser;
  let page;
  const state = { aborted: false }; // set once the phase timed out: the body must stop recording results
  const work = (async () => {
    cs = await startCodeServer({ label, ...csOptions });
    const launched = await launchBrowser();
    browser = launched.browser;
    page = await launched.context.newPage();
    const consoleLines = [];
    page.on('console', (m) => {
      consoleLines.push(`${m.type()}: ${m.text()}`);
      if (verbose) process.stdout.write(`[browser ${label}] ${m.type()}: ${m.text()}\n`);
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    return body({ cs, page, consoleLines, state });
  })();
  try {
    return await withTimeout(work, timeoutMs, `phase ${label}`);
  } catch (e) {
    state.aborted = true;
    const shot = await screenshot(page, `${label}-phase-error`);
    if (shot) log(`screenshot: ${shot}`);
    if (cs) log(`code-server log tail:\n${indent(cs.logTail(30))}`);
    throw e;
  } finally {
    work.catch(() => {}); // a timed-out body may still reject later
    await browser?.close().catch(() => {});
    await cs?.stop().catch((e) => log(`stopping code-server: ${e.message}`));
  }
}

async function hostPhase(env) {
  // Unique per run (the runner may run concurrently in the same checkout); copied to .artifacts afterwards.
  const resultsDir = mkdtempSync(join(tmpdir(), 'ptp-e2e-results-'));
  const resultsFile = join(resultsDir, 'host-results.json');
  try {
    await hostPhaseWith(env, resultsFile);
  } finally {
    if (existsSync(resultsFile)) copyFileSync(resultsFile, join(artifactsDir, 'host-results.json'));
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

async function hostPhaseWith(env, resultsFile) {
  const t0 = Date.now();
  let exitCode;
  let hostConsole = [];
  try {
    await withWorkbench(
      'host',
      { env, smokeTestDriver: true, extraEnv: { PTP_HOST_RESULTS: resultsFile } },
      HOST_PHASE_TIMEOUT,
      async ({ cs, page, consoleLines }) => {
        hostConsole = consoleLines;
        let resolveExit;
        const exited = new Promise((r) => (resolveExit = r));
        await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
        const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
        const payload = [
          ['extensionDevelopmentPath', remote(extensionDir)],
          ['extensionTestsPath', remote(suiteJs)],
        ];
        const url = `${cs.url}/?folder=${encodeURIComponent(cs.dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        await page.goto(url);
        exitCode = await exited;
        log(`in-host suite finished with exit code ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      },
    );
  } catch (e) {
    record('host', 'in-host suite ran to completion', false, Date.now() - t0, `${e.message}\n${hostConsoleTail(hostConsole)}`);
  }

  if (!existsSync(resultsFile)) {
    if (exitCode !== undefined) {
      record('host', 'in-host suite wrote its results', false, undefined,
        `no results file (exit code ${exitCode})\n${hostConsoleTail(hostConsole)}`);
    }
    return;
  }
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const t of r.tests) {
    if (t.state === 'pending') continue;
    record('host', t.title, t.state === 'passed', t.ms, t.error);
  }
  if (exitCode !== 0 && r.failed === 0) {
    record('host', 'in-host suite exit code', false, undefined, `exit code ${exitCode} though no test failed`);
  }
  facts.vscode = r.vscodeVersion;
  facts.activationMs = r.activationMs;
  log(`VS Code ${r.vscodeVersion}; extension activationMs = ${r.activationMs ?? 'n/a'}; suite took ${r.durationMs} ms`);
}

/** The extension host's console (forwarded to the page in development mode): mocha output, errors. */
function hostConsoleTail(lines) {
  const picked = lines.filter((l) => /extension host|\[ptp|error/i.test(l)).slice(-40);
  return picked.length ? `extension host console (last lines):\n${picked.join('\n')}` : '';
}

/** Back to a neutral workbench between attempts: close pickers, menus and dialogs, then all editors. */
async function resetWorkbench(page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+W');
  await page.waitForTimeout(500);
}

async function uiPhase(env) {
  const t0 = Date.now();
  try {
    await withWorkbench('ui', { env, installExtension: extensionDir }, UI_PHASE_TIMEOUT, async ({ cs, page, state }) => {
      const url = `${cs.url}/?folder=${encodeURIComponent(cs.dirs.workspace)}`;
      await page.goto(url);
      const titles = commandTitles(extensionDir);
      const grep = process.env.PTP_E2E_GREP ? new RegExp(process.env.PTP_E2E_GREP, 'i') : undefined;
      for (const t of uiTests) {
        if (state.aborted) break;
        if (grep && !grep.test(t.name)) continue;
        const started = Date.now();
        // One retry after resetting the workbench (Escape, close all editors): UI gestures in a remote browser
        // (multi-select clicks, context submenus) occasionally do not register; the first failure is logged.
        for (let attempt = 1; attempt <= 2; attempt++) {
          try {
            await withTimeout(t.fn({ page, cs, titles }), t.timeout ?? 60_000, `"${t.name}"`);
            record('ui', t.name, true, Date.now() - started);
            if (attempt > 1) log(`  (passed on retry: ${t.name})`);
            if (process.env.PTP_E2E_SCREENSHOTS === '1') await screenshot(page, `ui-pass-${t.name}`);
            break;
          } catch (e) {
            if (state.aborted) break;
            const shot = await screenshot(page, `ui-fail-${attempt}-${t.name}`);
            if (attempt === 1) {
              log(`  first attempt failed, retrying: ${t.name}: ${String(e.message).split('\n')[0]}`);
              await resetWorkbench(page).catch(() => undefined);
              continue;
            }
            record('ui', t.name, false, Date.now() - started, `${e.message}${shot ? `\nscreenshot: ${shot}` : ''}`);
          }
        }
      }
    });
  } catch (e) {
    record('ui', 'UI phase ran to completion', false, Date.now() - t0, e.message);
  }
}

async function main() {
  const t0 = Date.now();
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const missing = [join(extensionDir, 'package.json'), join(extensionDir, 'dist', 'extension.js'), suiteJs].filter(
    (f) => !existsSync(f),
  );
  log(`extension ${extensionId(extensionDir).id} from ${extensionDir}`);

  const tProv = Date.now();
  const env = await withTimeout(ensureVscodeEnv(), PROVISION_TIMEOUT, 'provisioning code-server');
  facts.provisionS = ((Date.now() - tProv) / 1000).toFixed(1);
  log(`provisioning: ${facts.provisionS} s`);

  if (missing.length) {
    record('setup', 'extension is built', false, undefined, `missing (run npm run build):\n${missing.join('\n')}`);
  } else {
    if (!only || only === 'host') await hostPhase(env);
    if (!only || only === 'ui') await uiPhase(env);
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  process.stdout.write('\n==== e2e summary ====\n');
  for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'} [${r.phase}] ${r.title}\n`);
  if (facts.vscode) process.stdout.write(`VS Code ${facts.vscode} (code-server); extension activation: ${facts.activationMs === undefined ? 'n/a' : `${facts.activationMs.toFixed(1)} ms`}\n`);
  process.stdout.write(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s (provisioning ${facts.provisionS} s)\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stdout.write(`[e2e] fatal: ${e?.stack ?? e}\n0 passed, 1 failed\n`);
    process.exit(1);
  },
);
