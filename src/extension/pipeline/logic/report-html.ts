/** The run's report.html as a webview shows it: our own strict CSP put first (the report has no scripts). No vscode. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reportWebviewHtml(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;
  const head = /<head[^>]*>/i.exec(html);
  return head ? `${html.slice(0, head.index + head[0].length)}${meta}${html.slice(head.index + head[0].length)}` : `<!DOCTYPE html><html><head>${meta}</head><body>${html}</body></html>`;
}
