// The preview panel's HTML. Pure (no `vscode` import) so the browser tests load the
// very same page. Only the page script and its stylesheet are loaded, both from
// dist/webview, under a CSP that allows nothing else.
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlOptions {
  /** webview.cspSource: the origin VS Code serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

/** A fresh nonce per page load (never Math.random). */
export const makeNonce = () => randomBytes(18).toString('base64');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function previewHtml(o: PreviewHtmlOptions): string {
  const nonce = attr(o.nonce ?? makeNonce());
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${o.cspSource} 'nonce-${nonce}'`, `img-src ${o.cspSource} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}" nonce="${nonce}">
<title>Convergence Preview</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
