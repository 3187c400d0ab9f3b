import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** The page shell every webview of ours uses: strict CSP with a nonce, scripts and styles from media/. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, scripts: string | string[], style: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media(style).toString()}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app"></div>
${(Array.isArray(scripts) ? scripts : [scripts]).map((f) => `<script nonce="${nonce}" src="${media(f).toString()}"></script>`).join('\n')}
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
