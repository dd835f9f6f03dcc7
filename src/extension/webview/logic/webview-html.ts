/** The HTML shell of every webview app: strict CSP with a per-load nonce, one script, one stylesheet. No vscode. */

export interface WebviewPage {
  readonly title: string;
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  /** `asWebviewUri` of `dist/webview/<app>.js`. */
  readonly scriptUri: string;
  /** `asWebviewUri` of `dist/webview/<app>.css`. */
  readonly styleUri: string;
  /** Goes to `<body data-app>` (useful for tests and CSS). */
  readonly app: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    // the graph layout worker: its script is fetched from the extension (connect-src) and started from a Blob
    `connect-src ${cspSource}`,
    `worker-src blob:`,
  ].join('; ');
}

export function renderWebviewHtml(page: WebviewPage): string {
  const nonce = escapeHtml(page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body data-app="${escapeHtml(page.app)}" data-view-state="loading">
<main id="app" aria-busy="true"><p class="loading">Loading…</p></main>
<script nonce="${nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
