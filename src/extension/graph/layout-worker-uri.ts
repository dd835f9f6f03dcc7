/** The graph component's layout worker script (dist/webview/graph-layout-worker.js) as a webview URI. */
import * as vscode from 'vscode';

export function layoutWorkerUri(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'graph-layout-worker.js')).toString();
}
