// @vscode/test-cli config, for contributors whose machine can download desktop VS Code:
//   npm run build && npx vscode-test
// It runs the in-host suite (test/host, bundled into dist/test/suite.js) in an Extension Development Host
// with this repo as the extension. CI cannot download VS Code and runs the same suite under code-server
// instead: `npm run test:e2e` (test/e2e/run.mjs), which also runs the Playwright UI tests.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'host',
  files: 'test/host/electron-entry.cjs',
  workspaceFolder: 'test/fixtures/workspace',
  mocha: { ui: 'bdd', timeout: 60_000 },
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
});
