// The layers of the architecture, as dependency-cruiser rules over the resolved import graph (run by
// scripts/check-deps.mjs, `npm run lint:deps`, which also rejects folder-level cycles). Folder globs, never file
// lists: a new file is covered the day it is added. eslint (eslint.config.mjs) checks the same `vscode` /
// onnxruntime boundaries at the import statement.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'core-is-the-bottom', severity: 'error', comment: 'src/core imports nothing above it.', from: { path: '^src/core/' }, to: { path: '^(src/(pipeline|protocol|cli|extension)|webview)/' } },
    { name: 'pipeline-has-no-ui', severity: 'error', comment: 'src/pipeline never reaches the CLI, the extension or a webview.', from: { path: '^src/pipeline/' }, to: { path: '^(src/(cli|extension)|webview)/' } },
    { name: 'protocol-is-types-and-messages', severity: 'error', from: { path: '^src/protocol/' }, to: { path: '^(src/(cli|extension)|webview)/' } },
    { name: 'cli-is-not-the-extension', severity: 'error', from: { path: '^src/cli/' }, to: { path: '^(src/extension|webview)/' } },
    { name: 'extension-does-not-bundle-webviews', severity: 'error', from: { path: '^src/extension/' }, to: { path: '^webview/' } },
    { name: 'webview-sees-only-the-protocol', severity: 'error', comment: 'Webview apps import the protocol (types), never the host, the CLI or the pipeline.', from: { path: '^webview/' }, to: { path: '^src/(?!protocol/)' } },
    { name: 'webview-shared-imports-no-app', severity: 'error', from: { path: '^webview/shared/' }, to: { path: '^webview/(?!shared/)' } },
    { name: 'pipeline-shared-imports-no-operation', severity: 'error', from: { path: '^src/pipeline/shared/' }, to: { path: '^src/pipeline/(?!shared/|runtime/|data/)' } },
    { name: 'extension-shared-imports-no-operation', severity: 'error', from: { path: '^src/extension/shared/' }, to: { path: '^src/extension/(?!shared/|worker/|webview/|model/|config/|logic/)' } },
    { name: 'no-vscode-outside-the-extension', severity: 'error', from: { path: '^(src/(core|pipeline|protocol|cli)|webview)/' }, to: { path: '^vscode$' } },
    { name: 'no-unresolvable-imports', severity: 'error', from: {}, to: { couldNotResolve: true, pathNot: '^vscode$' } },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/core/proto/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.css'], exportsFields: ['exports'], conditionNames: ['require', 'import', 'node', 'default'] },
  },
};
