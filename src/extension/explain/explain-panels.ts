/**
 * Attributions panels (webview app `explain`): one per model + data, reused and revealed on the next run. The
 * webview asks for the snapshot on `ready` (so a re-created webview shows the result again) and for the exports
 * (JSON, CSV, a plot as PNG or SVG), which the host writes where the save dialog says.
 */
import * as vscode from 'vscode';
import type { ExplainChannel, ExplainSnapshot, PlotExport } from '../../protocol/explain-panel';
import type { ErrorInfo, ExportOutcome } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { attributionsCsv } from './logic/attribution-csv';
import { EXPLAIN_PANEL_VIEW_TYPE } from './logic/explain-ids';
import { reportFilePath, reportJson, saveReportFile } from '../webview/report-export';

class ExplainPanel extends ReportPanel<ExplainSnapshot, ExplainChannel> {
  protected handlers(): Omit<RequestHandlers<ExplainChannel>, 'ready'> {
    return {
      saveJson: () => this.save('Save the attributions as JSON', 'json', 'JSON', reportJson(this.snapshot.result)),
      saveCsv: () => this.save('Save the attributions as CSV', 'csv', 'CSV', attributionsCsv(this.snapshot.result)),
      savePlot: (plot) => this.savePlot(plot),
    };
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
  }

  private savePlot(plot: PlotExport): Promise<ExportOutcome> {
    if (plot.format !== 'png' && plot.format !== 'svg') throw new Error(`Unknown plot format ${String(plot.format)}.`);
    const stem = plot.name.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'plot';
    const bytes = plot.format === 'png' ? Buffer.from(plot.data, 'base64') : new TextEncoder().encode(plot.data);
    return this.save(`Save the plot as ${plot.format.toUpperCase()}`, plot.format, plot.format.toUpperCase(), bytes, stem);
  }

  private save(title: string, ext: string, filterName: string, content: string | Uint8Array, suffix = 'attributions'): Promise<ExportOutcome> {
    return saveReportFile({ title, defaultPath: reportFilePath(this.snapshot.result.model, suffix, ext), filterName, content });
  }
}

export class ExplainPanels extends ReportPanelSet<ExplainSnapshot, ExplainPanel> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    super(EXPLAIN_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new ExplainPanel(panel, snapshot, 'explain', extensionUri, log));
  }
}

export const explainPanelKey = (model: string, data: string): string => `explain\n${model}\n${data}`;
