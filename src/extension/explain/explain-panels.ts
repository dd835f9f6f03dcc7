/**
 * Attributions panels (webview app `explain`): one per model + data, reused and revealed on the next run. The
 * webview asks for the snapshot on `ready` (so a re-created webview shows the result again) and for the exports
 * (JSON, CSV, a plot as PNG or SVG), which the host writes where the save dialog says.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ExplainChannel, ExplainExportOutcome, ExplainSnapshot, PlotExport } from '../../protocol/explain-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { attributionsCsv } from './logic/attribution-csv';
import { EXPLAIN_PANEL_VIEW_TYPE } from './logic/explain-ids';
import { writeUriAtomic } from '../webview/write-atomic';

class ExplainPanel extends ReportPanel<ExplainSnapshot, ExplainChannel> {
  protected handlers(): Omit<RequestHandlers<ExplainChannel>, 'ready'> {
    return {
      saveJson: () => this.save('Save the attributions as JSON', 'json', 'JSON', `${JSON.stringify(this.snapshot.result, null, 2)}\n`),
      saveCsv: () => this.save('Save the attributions as CSV', 'csv', 'CSV', attributionsCsv(this.snapshot.result)),
      savePlot: (plot) => this.savePlot(plot),
    };
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
  }

  private savePlot(plot: PlotExport): Promise<ExplainExportOutcome> {
    if (plot.format !== 'png' && plot.format !== 'svg') throw new Error(`Unknown plot format ${String(plot.format)}.`);
    const stem = plot.name.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'plot';
    const bytes = plot.format === 'png' ? Buffer.from(plot.data, 'base64') : new TextEncoder().encode(plot.data);
    return this.save(`Save the plot as ${plot.format.toUpperCase()}`, plot.format, plot.format.toUpperCase(), bytes, stem);
  }

  private async save(title: string, ext: string, filterName: string, content: string | Uint8Array, suffix = 'attributions'): Promise<ExplainExportOutcome> {
    const model = this.snapshot.result.model;
    const target = await vscode.window.showSaveDialog({
      title,
      defaultUri: vscode.Uri.file(path.join(path.dirname(path.resolve(model)), `${path.basename(model, '.onnx')}.${suffix}.${ext}`)),
      filters: { [filterName]: [ext] },
      saveLabel: 'Save',
    });
    if (!target) return { done: false };
    await writeUriAtomic(target, content);
    return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
  }
}

export class ExplainPanels implements vscode.Disposable {
  private readonly panels: ReportPanelSet<ExplainSnapshot, ExplainPanel>;

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.panels = new ReportPanelSet(EXPLAIN_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new ExplainPanel(panel, snapshot, 'explain', extensionUri, log));
  }

  /** Shows `snapshot` in the panel of `key` (created beside the active editor if needed). */
  show(key: string, title: string, snapshot: ExplainSnapshot): void {
    this.panels.show(key, title, snapshot);
  }

  /** Tells the open panel of `key` (if any) that a re-run failed. */
  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail(error);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export const explainPanelKey = (model: string, data: string): string => `explain\n${model}\n${data}`;
