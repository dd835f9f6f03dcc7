// Lint: typescript-eslint recommended rules plus the architecture's import boundaries.
//
// Boundaries are named by folder globs, never by file lists, so a new file is covered the day it is added:
//   - `vscode` is imported only by src/extension, and there not from `**/logic/**` (vscode-free logic that
//     unit tests run on plain Node) nor from src/extension/worker/** (the worker client runs without VS Code);
//   - `onnxruntime-node` is loaded only by src/pipeline/runtime (lazily), tests may use it as an oracle;
//   - src/core imports nothing above it (pipeline, protocol, cli, extension, webview).
// The same layers, plus the folder-level cycle rule, are checked on the resolved graph by dependency-cruiser
// (.dependency-cruiser.cjs, `npm run lint:deps`); "no DOM in core or pipeline" is the compiler's job
// (tsconfig.node.json has no DOM lib).
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/extension (outside logic/ and worker/) may import vscode.' };
const noOrt = { name: 'onnxruntime-node', message: 'onnxruntime-node is loaded in one place: src/pipeline/runtime.' };
const aboveCore = {
  group: ['**/pipeline', '**/pipeline/**', '**/protocol', '**/protocol/**', '**/cli', '**/cli/**', '**/extension', '**/extension/**', '**/webview/**'],
  message: 'The core depends on nothing above it.',
};

/** Folders whose code never sees VS Code (vscode-free: unit-testable on plain Node, or runs outside the host). */
const vscodeFree = [
  'src/core/**/*.ts',
  'src/pipeline/**/*.ts',
  'src/protocol/**/*.ts',
  'src/cli/**/*.ts',
  'src/extension/**/logic/**/*.ts',
  'src/extension/worker/**/*.ts',
  'webview/**/*.ts',
  'bench/**/*.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'src/core/proto/**', '**/*.mjs', '**/*.cjs', 'examples/**', '.tmp-*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // everything shipped: no vscode where it is not allowed, onnxruntime only through src/pipeline/runtime
    files: ['src/**/*.ts', 'webview/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/pipeline/runtime/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noOrt] }] },
  },
  {
    files: vscodeFree,
    ignores: ['src/pipeline/runtime/**', 'src/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, noOrt] }] },
  },
  {
    // the runtime is the one door to onnxruntime, but still vscode-free
    files: ['src/pipeline/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, noOrt], patterns: [aboveCore] }],
      'no-restricted-globals': ['error', { name: 'document', message: 'No DOM in the core.' }, { name: 'window', message: 'No DOM in the core.' }],
    },
  },
);
