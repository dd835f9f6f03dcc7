/**
 * Pipeline files in the editor: diagnostics from the reader (`FILE:LINE:COL: …` → the Problems panel, on open, on
 * save and while typing, cleared when the file is valid) and the CodeLens (Run Pipeline at the top, Run to here
 * on each stage). The reader is pure (yaml + ajv): it runs on the extension host.
 */
import * as vscode from 'vscode';
import { parsePipeline } from '../../pipeline/pipeline/file';
import type { PipelineSpec } from '../../protocol/pipeline';
import { errorPosition } from './logic/pipeline-diagnostic';
import { isPipelineFile, PIPELINE_COMMANDS } from './logic/pipeline-ids';

/** The spec of an open pipeline document, or its error. */
export function readDocument(doc: vscode.TextDocument): { spec: PipelineSpec } | { error: Error } {
  try {
    return { spec: parsePipeline(doc.getText(), doc.uri.fsPath, doc.uri.fsPath) };
  } catch (e) {
    return { error: e as Error };
  }
}

const isPipelineDoc = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && isPipelineFile(doc.uri.fsPath);

export class PipelineDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ptp-pipeline');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onValid: (spec: PipelineSpec) => void) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.checkSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  private checkSoon(doc: vscode.TextDocument): void {
    if (!isPipelineDoc(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.check(doc), 300));
  }

  /** Checks `doc` (a pipeline file) and sets or clears its diagnostic. */
  check(doc: vscode.TextDocument): PipelineSpec | undefined {
    if (!isPipelineDoc(doc)) return undefined;
    const r = readDocument(doc);
    if ('spec' in r) {
      this.collection.delete(doc.uri);
      this.onValid(r.spec);
      return r.spec;
    }
    const at = errorPosition(r.error.message, doc.uri.fsPath);
    const line = Math.min(Math.max(at.line - 1, 0), Math.max(doc.lineCount - 1, 0));
    const text = doc.lineAt(line).text;
    const col = Math.min(Math.max(at.col - 1, 0), text.length);
    const end = text.length > col ? text.length : col + 1;
    const d = new vscode.Diagnostic(new vscode.Range(line, col, line, end), at.message, vscode.DiagnosticSeverity.Error);
    d.source = 'ptp pipeline';
    this.collection.set(doc.uri, [d]);
    return undefined;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

export class PipelineCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(top, { title: '$(play) Run Pipeline', command: PIPELINE_COMMANDS.run, arguments: [doc.uri] })];
    const r = readDocument(doc);
    if ('spec' in r) {
      for (const s of r.spec.stages) {
        const line = Math.max(0, s.at.line - 1);
        lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: 'Run to here', command: PIPELINE_COMMANDS.runToHere, arguments: [doc.uri, s.id] }));
      }
    }
    return lenses;
  }
}
