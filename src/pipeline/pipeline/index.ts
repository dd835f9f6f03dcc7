/**
 * The pipeline as code (`ptp.pipeline.yaml`): read and check the file (file.ts), run its stages with caching,
 * gates and approvals (run.ts), write the reports (report.ts). No vscode; the CLI is src/cli/commands/pipeline.ts.
 */
export { PipelineError, type PipelineErrorCode } from './errors';
export { ExprError, evaluateCheck, evaluateExpr, parseExpr, pathsOf, tokenize, type Expr, type Value } from './expr';
export { parsePipeline, readPipeline } from './file';
export { isKnownOutput, KINDS, type KindSpec, type OptionType } from './kinds';
export { pipelineSchema } from './schema';
export { escapeHtml, escapeXml, htmlReport, junitXml, markdownSummary } from './report';
export { approvePipeline, pipelineHome, readState, runPipeline, type RunOptions } from './run';
