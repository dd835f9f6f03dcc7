/** The read-only custom editor `ptp.modelEditor` for *.onnx files (priority default, not exclusive). */
import * as vscode from 'vscode';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { ModelDocument } from './model-document';
import { OverviewEditor, type OverviewDeps } from './overview-editor';

export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  static register(deps: OverviewDeps): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MODEL_EDITOR_VIEW_TYPE, new ModelEditorProvider(deps), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly deps: OverviewDeps) {}

  async openCustomDocument(uri: vscode.Uri): Promise<ModelDocument> {
    this.deps.log.info(`Opening ${uri.fsPath}`);
    return ModelDocument.open(uri, this.deps.log);
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    const editor = new OverviewEditor(document, panel, this.deps);
    panel.onDidDispose(() => editor.dispose());
  }
}
