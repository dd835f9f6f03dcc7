/**
 * Pure parts of Validate Model: merging the worker's runtime check into the core's ValidateResult, the
 * text of a finding's diagnostic and of the summary notification. No vscode.
 */
import type { Finding, ValidateResult } from '../../../core/report-types';
import type { RuntimeCheckResult } from '../../../protocol/worker';

/** Finding codes the extension adds to the core's. */
export const FINDING_CODES = {
  openFailed: 'open-failed',
  runtimeRefused: 'runtime-refused',
  runtimeUnavailable: 'runtime-unavailable',
} as const;

/** The result for a file that could not even be opened as a model. */
export function openFailedResult(message: string): ValidateResult {
  return {
    valid: false,
    errors: 1,
    warnings: 0,
    findings: [{ severity: 'error', code: FINDING_CODES.openFailed, message }],
  };
}

/** How the runtime check ended: onnxruntime's answer, or the worker could not answer at all. */
export type RuntimeOutcome = { readonly check: RuntimeCheckResult } | { readonly failure: string };

/** Adds `runtime` and, when onnxruntime refused the model (or could not be asked), a finding. */
export function withRuntime(result: ValidateResult, outcome: RuntimeOutcome): ValidateResult {
  let finding: Finding | undefined;
  let runtime: NonNullable<ValidateResult['runtime']>;
  if ('check' in outcome) {
    const { ok, message, ortVersion } = outcome.check;
    runtime = { ok, ...(message ? { message } : {}), ort_version: ortVersion };
    if (!ok) {
      finding = {
        severity: 'error',
        code: FINDING_CODES.runtimeRefused,
        message: `ONNX Runtime ${ortVersion} cannot load the model: ${message ?? 'no reason given'}`,
      };
    }
  } else {
    runtime = { ok: false, message: outcome.failure };
    finding = {
      severity: 'warning',
      code: FINDING_CODES.runtimeUnavailable,
      message: `The ONNX Runtime check could not run: ${outcome.failure}`,
    };
  }
  return recount({ ...result, findings: finding ? [...result.findings, finding] : [...result.findings], runtime });
}

/** Recomputes errors/warnings/valid from the findings. */
export function recount(result: ValidateResult): ValidateResult {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  return { ...result, errors, warnings, valid: errors === 0 };
}

/** A diagnostic's message: the finding's message plus the node/tensor/graph it concerns, unless already named. */
export function diagnosticMessage(f: Finding): string {
  const context: string[] = [];
  if (f.node && !f.message.includes(f.node)) context.push(`node '${f.node}'`);
  if (f.tensor && !f.message.includes(f.tensor)) context.push(`tensor '${f.tensor}'`);
  if (f.graph && f.graph !== 'main' && !f.message.includes(f.graph)) context.push(`graph ${f.graph}`);
  return context.length ? `${f.message} [${context.join(', ')}]` : f.message;
}

export interface ValidationSummary {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** "model.onnx is valid (0 errors, 1 warning)." / "model.onnx has 2 errors — see Problems." */
export function validationSummary(fileName: string, result: ValidateResult): ValidationSummary {
  if (result.errors === 0) {
    return {
      level: result.warnings > 0 ? 'warning' : 'info',
      text: `${fileName} is valid (${plural(0, 'error')}, ${plural(result.warnings, 'warning')}).`,
    };
  }
  const warnings = result.warnings > 0 ? ` and ${plural(result.warnings, 'warning')}` : '';
  return { level: 'error', text: `${fileName} has ${plural(result.errors, 'error')}${warnings} — see Problems.` };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
