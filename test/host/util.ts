/** Helpers shared by the in-host tests (they run inside the VS Code extension host, with the real API). */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ptp-team.post-training-pipeline';

/** What the extension's activate() returns (the part the tests rely on). */
export interface ExtensionApi {
  readonly activationMs?: number;
}

/** Facts the suite reports next to the pass/fail counts (index.ts writes them to the results file). */
export const hostInfo: { activationMs?: number; extensionPath?: string; vscodeVersion: string } = {
  vscodeVersion: vscode.version,
};

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the runner opens a copy of test/fixtures/workspace)');
  return folder.uri;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<ExtensionApi>; api: ExtensionApi }> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = (await ext.activate()) ?? {};
  hostInfo.extensionPath = ext.extensionPath;
  if (typeof api.activationMs === 'number') hostInfo.activationMs = api.activationMs;
  return { ext, api };
}

/** Polls `probe` until it returns something other than undefined/false, or throws after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${ms} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The open tabs of webview panels or custom editors whose view type ends with `viewType` (e.g. 'ptp.pruning'). */
export function tabsOf(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => (t.input instanceof vscode.TabInputWebview || t.input instanceof vscode.TabInputCustom) && t.input.viewType.endsWith(viewType));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function errorDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const ds = vscode.languages.getDiagnostics(uri);
  if (ds.length === 0) return 'no diagnostics';
  return ds.map((d) => `[${vscode.DiagnosticSeverity[d.severity]}] ${d.message}`).join('; ');
}
