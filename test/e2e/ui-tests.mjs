/**
 * UI tests: what a user sees in a real VS Code (code-server in headless Chromium), driven by playwright-core.
 * They run in order in one window; each test makes sure of its own preconditions (e.g. re-opens the model),
 * so a failure in one does not cascade into false failures in the next.
 *
 * Contract with the webview: its document.body gets data-view-state="ready" once the overview rendered.
 * Each test gets { page, cs, titles }: titles maps command ids to their palette labels, read from the
 * manifest (package.json + package.nls.json), e.g. titles['ptp.validateModel'] = 'Post-Training: Validate Model'.
 */
import { tests as basics } from './ui/basics.mjs';
import { tests as data } from './ui/data.mjs';
import { tests as monitor } from './ui/monitor.mjs';
import { tests as optimize } from './ui/optimize.mjs';
import { tests as pipeline } from './ui/pipeline.mjs';
import { tests as predict } from './ui/predict.mjs';
import { tests as graph } from './ui/graph.mjs';
import { tests as prune } from './ui/prune.mjs';
import { tests as exportsTests } from './ui/exports.mjs';
import { tests as registry } from './ui/registry.mjs';
import { tests as security } from './ui/security.mjs';
import { tests as serving } from './ui/serving.mjs';
import { tests as welcome } from './ui/welcome.mjs';

/** In the order they run (one window; each test sets up its own preconditions). */
export const uiTests = [...basics, ...data, ...predict, ...optimize, ...graph, ...prune, ...exportsTests, ...security, ...registry, ...pipeline, ...serving, ...monitor, ...welcome];
