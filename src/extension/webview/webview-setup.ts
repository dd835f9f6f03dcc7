/** Options and HTML of a webview showing one of the apps built to dist/webview/<app>.js (+ .css). */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderWebviewHtml } from './logic/webview-html';

export type WebviewApp = 'overview' | 'sample' | 'evaluation' | 'explain' | 'quantize' | 'compare' | 'prune' | 'distill' | 'serving' | 'monitor';

/** Scripts on; resources only from the built webview folder and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** What a webview was given: its app, the HTML shell and the options (the security host test reads these). */
export interface ShownWebview {
  readonly app: WebviewApp;
  readonly title: string;
  readonly html: string;
  readonly enableScripts: boolean;
  readonly enableCommandUris: boolean | readonly string[];
  readonly localResourceRoots: readonly string[];
}

const shown: ShownWebview[] = [];

/** The webviews set up in this session, newest last (at most 100). */
export function shownWebviews(): readonly ShownWebview[] {
  return shown;
}

export function setWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: WebviewApp, title: string): void {
  const asset = (ext: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${app}.${ext}`)).toString();
  webview.html = renderWebviewHtml({
    title,
    app,
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: asset('js'),
    styleUri: asset('css'),
  });
  const o = webview.options;
  shown.push({ app, title, html: webview.html, enableScripts: o.enableScripts ?? false, enableCommandUris: o.enableCommandUris ?? false, localResourceRoots: (o.localResourceRoots ?? []).map((u) => u.fsPath) });
  if (shown.length > 100) shown.shift();
}

/** The extension's icon for panels and tabs. */
export function iconPath(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return {
    light: vscode.Uri.joinPath(extensionUri, 'media', 'ptp-light.svg'),
    dark: vscode.Uri.joinPath(extensionUri, 'media', 'ptp-dark.svg'),
  };
}
