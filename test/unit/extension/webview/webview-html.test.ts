import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../../../src/extension/webview/logic/webview-html';

describe('extension: webview HTML shell', () => {
  const page = {
    title: '<img src=x onerror=alert(1)>.onnx',
    cspSource: 'https://webview.test',
    nonce: 'abc+/=',
    scriptUri: 'https://webview.test/dist/webview/overview.js',
    styleUri: 'https://webview.test/dist/webview/overview.css',
    app: 'overview',
  };

  it('allows scripts only by nonce and nothing by default', () => {
    const csp = contentSecurityPolicy(page.cspSource, page.nonce);
    assert.equal(
      csp,
      "default-src 'none'; style-src https://webview.test 'nonce-abc+/='; script-src 'nonce-abc+/='; font-src https://webview.test; img-src https://webview.test data:; connect-src https://webview.test; worker-src blob:",
    );
    assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  });

  it('puts the CSP first, loads the app script with the nonce, and escapes the title', () => {
    const html = renderWebviewHtml(page);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    assert.match(html, /<script nonce="abc\+\/=" src="https:\/\/webview\.test\/dist\/webview\/overview\.js"><\/script>/);
    assert.ok(html.includes('<title>&lt;img src=x onerror=alert(1)&gt;.onnx</title>'));
    assert.ok(!html.includes('<img'));
    assert.match(html, /<body data-app="overview" data-view-state="loading">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });
});
