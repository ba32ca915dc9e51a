// The Content-Security-Policy of the profiler panel, in a VS Code webview and in the
// standalone report alike.
//
// Scripts run only with the page's nonce. Styles: <style> and <link> elements need the
// nonce, with one exception allowed by its hash: the EMPTY <style> element that
// @vscode/webview-ui-toolkit (FAST) inserts and then fills through the CSSOM, which CSP
// does not govern. Allowing exactly the empty string's hash keeps every other inline style
// out, where 'unsafe-inline' would let any in; style attributes stay refused (the panel
// sets styles through the CSSOM only). test/webview/report.test.ts checks both halves: no
// CSP error from the toolkit, and an un-nonced script refused.

/** sha256 of the empty string: the toolkit's empty <style> element. */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * @param resourceSource where the page may load its bundle from (VS Code's webview.cspSource);
 *   none for the report, whose assets are inline.
 */
export function panelContentSecurityPolicy(nonce: string, resourceSource?: string): string {
  const from = resourceSource ? ` ${resourceSource}` : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}' ${EMPTY_STYLE_HASH}${from}`,
    // The wait hatching is drawn from an in-memory canvas; nothing is fetched.
    `img-src 'self' data:${from}`,
    `font-src${from || " 'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
