/**
 * In-host test suite: what @vscode/test-electron calls `extensionTestsPath`. esbuild bundles this file to
 * dist/test/suite.js (vscode, onnxruntime-node and mocha stay external). Its `run()` executes inside the
 * VS Code extension host with the full `vscode` API and rejects when a test failed.
 *
 * Started by test/e2e/run.mjs (code-server + the smoke-test driver) or by @vscode/test-cli
 * (.vscode-test.mjs, through dist/test/electron-entry.js).
 *
 * Results also go to a JSON file, because the code-server driver only sees an exit code:
 * $PTP_HOST_RESULTS if set, else `<first workspace folder>/.ptp-host-results.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type MochaType from 'mocha';
import distillTests from './distill.test';
import editorTests from './editor.test';
import evaluateTests from './evaluate.test';
import explainTests from './explain.test';
import extensionTests from './extension.test';
import graphTests from './graph.test';
import monitorTests from './monitor.test';
import pipelineTests from './pipeline.test';
import predictTests from './predict.test';
import pruneTests from './prune.test';
import quantizeTests from './quantize.test';
import registryTests from './registry.test';
import surviveTests from './survive.test';
import webviewSecurityTests from './webview-security.test';
import sampleTests from './sample.test';
import servingTests from './serving.test';
import validateTests from './validate.test';
import welcomeTests from './welcome.test';
import { hostInfo } from './util';

/** Registered in this order; each calls describe()/it() once mocha's globals exist. */
const SUITES: ReadonlyArray<() => void> = [extensionTests, editorTests, validateTests, sampleTests, evaluateTests, predictTests, monitorTests, explainTests, quantizeTests, pruneTests, distillTests, graphTests, registryTests, pipelineTests, servingTests, surviveTests, webviewSecurityTests, welcomeTests];

/**
 * Registers every suite with the mocha whose describe/it are the current globals. For @vscode/test-cli,
 * which loads test/host/electron-entry.cjs into its own mocha (see .vscode-test.mjs).
 */
export function defineAll(): void {
  for (const define of SUITES) define();
}

export interface HostTestRecord {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly ms?: number;
  readonly error?: string;
}

export interface HostResults {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly tests: HostTestRecord[];
  readonly activationMs?: number;
  readonly extensionPath?: string;
  readonly vscodeVersion: string;
  readonly durationMs: number;
}

function loadMocha(): typeof MochaType {
  // mocha 12 is an ES module whose CommonJS build is lib/mocha.cjs; Node ≥ 20.19 can require() either.
  /* eslint-disable @typescript-eslint/no-require-imports */
  let mod: { Mocha?: typeof MochaType; default?: typeof MochaType };
  try {
    mod = require('mocha');
  } catch {
    mod = require('mocha/lib/mocha.cjs');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const Mocha = mod.Mocha ?? mod.default ?? (mod as unknown as typeof MochaType);
  if (typeof Mocha !== 'function') throw new Error('could not load mocha');
  return Mocha;
}

function resultsPath(): string | undefined {
  if (process.env.PTP_HOST_RESULTS) return process.env.PTP_HOST_RESULTS;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? path.join(folder.uri.fsPath, '.ptp-host-results.json') : undefined;
}

export async function run(): Promise<void> {
  const started = Date.now();
  const Mocha = loadMocha();
  // PTP_E2E_GREP (passed through code-server's environment) runs only the matching tests.
  const grep = process.env.PTP_E2E_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep, 'i') } : {}) });
  // Installs describe/it/before/... on globalThis for this Mocha instance.
  mocha.suite.emit('pre-require', globalThis, 'test/host', mocha);
  defineAll();

  const tests: HostTestRecord[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    runner.on('fail', (t, err: Error) =>
      tests.push({ title: t.fullTitle(), state: 'failed', ms: t.duration, error: err?.stack ?? String(err) }),
    );
  });

  const results: HostResults = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
    ...hostInfo,
    durationMs: Date.now() - started,
  };
  console.log(`[ptp-host] ${results.passed} passed, ${results.failed} failed; activationMs=${results.activationMs}`);
  const out = resultsPath();
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  }
  if (failures > 0 || results.failed > 0) throw new Error(`${Math.max(failures, results.failed)} in-host test(s) failed`);
}
