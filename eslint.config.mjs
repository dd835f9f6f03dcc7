// Lint: typescript-eslint recommended rules plus the architecture's import boundaries.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/extension may import vscode.' };
const noOrt = { name: 'onnxruntime-node', message: 'The ONNX core never loads onnxruntime.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'src/core/proto/**', '**/*.mjs', '**/*.cjs', 'examples/**', '.tmp-*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, noOrt], patterns: [{ group: ['../pipeline/*', '../extension/*', '../cli/*'], message: 'The core depends on nothing above it.' }] }],
      'no-restricted-globals': ['error', { name: 'document', message: 'No DOM in the core.' }, { name: 'window', message: 'No DOM in the core.' }],
    },
  },
  {
    files: [
      'src/cli/**/*.ts', 'src/protocol/**/*.ts', 'webview/**/*.ts', 'bench/**/*.ts', 'src/pipeline/runtime/**/*.ts',
      // extension files kept vscode-free so they are unit-testable on plain Node
      'src/extension/worker/**/*.ts', 'src/extension/config/ptp-settings.ts', 'src/extension/validation/validation-report.ts',
      'src/extension/webview/webview-html.ts', 'src/extension/user-errors.ts',
      'src/extension/evaluation/evaluation-options.ts', 'src/extension/evaluation/data-columns.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // onnxruntime is loaded in one place (src/pipeline/runtime), lazily.
    files: ['src/pipeline/**/*.ts'],
    ignores: ['src/pipeline/runtime/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, { name: 'onnxruntime-node', message: 'Use src/pipeline/runtime.' }] }] },
  },
);
