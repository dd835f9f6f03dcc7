/** Findings → Problems-panel diagnostics on the model file (all on line 0: a binary file has no lines). */
import * as vscode from 'vscode';
import type { Finding, Severity, ValidateResult } from '../../core/report-types';
import { DIAGNOSTIC_SOURCE } from '../logic/ids';
import { diagnosticMessage } from './logic/validation-report';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), diagnosticMessage(finding), SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  return diagnostic;
}

export function toDiagnostics(result: ValidateResult): vscode.Diagnostic[] {
  return result.findings.map(toDiagnostic);
}
