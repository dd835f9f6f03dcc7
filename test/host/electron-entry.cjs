// Test file for @vscode/test-cli (.vscode-test.mjs) in a downloaded desktop VS Code. test-cli's own mocha
// loads this file with describe/it as globals; it registers the same suites that dist/test/suite.js's run()
// executes under code-server (test/e2e/run.mjs). Build first: `npm run build`.
require('../../dist/test/suite.js').defineAll();
