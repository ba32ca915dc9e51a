// The standalone HTML report of a finished run or of a scaling lab: one self-contained file
// (the webview bundle, its CSS and the data, all inline) that opens from the file system and
// makes no network request of any kind.
//
// Security: a strict Content-Security-Policy (contentSecurityPolicy.ts); the data (run
// record and source, or scaling result) are JSON data blocks, which are never executed.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { REPORT_BLOCK_IDS, type SourceText } from '../../../shared/protocol';
import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import type { ScalingResult } from '../../../shared/scaling';
import { panelContentSecurityPolicy } from './contentSecurityPolicy';
import { UserFacingError } from '../run/errors';
import { jsonChunks } from '../storage/jsonFile';

/**
 * Theme variables a VS Code webview gets from the editor; the report defines them itself,
 * dark or light by the system's preference.
 */
const REPORT_THEME_CSS = `
:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  --vscode-editor-font-size: 13px;
}
@media (prefers-color-scheme: dark) {
  :root {
    --vscode-foreground: #cccccc; --vscode-descriptionForeground: #a0a0a0; --vscode-editor-background: #1e1e1e;
    --vscode-editor-foreground: #d4d4d4; --vscode-panel-border: #80808059; --vscode-focusBorder: #0078d4;
    --vscode-editorIndentGuide-background: #404040; --vscode-editorLineNumber-foreground: #858585;
    --vscode-editor-selectionBackground: #264f78; --vscode-editor-lineHighlightBackground: #2a2d2e;
    --vscode-list-hoverBackground: #2a2d2e; --vscode-textCodeBlock-background: #0a0a0a66;
    --vscode-editorHoverWidget-background: #252526; --vscode-editorHoverWidget-foreground: #cccccc; --vscode-editorHoverWidget-border: #454545;
    --vscode-editorWarning-foreground: #cca700; --vscode-errorForeground: #f48771;
    --vscode-charts-red: #f14c4c; --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185;
    --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616; --vscode-charts-purple: #b180d7;
    --vscode-button-background: #0e639c; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #1177bb;
    --vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #45494e;
    --vscode-checkbox-background: #3c3c3c; --vscode-checkbox-border: #6b6b6b; --vscode-checkbox-foreground: #cccccc;
  }
}
@media (prefers-color-scheme: light) {
  :root {
    --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #6a6a6a; --vscode-editor-background: #ffffff;
    --vscode-editor-foreground: #1f1f1f; --vscode-panel-border: #80808059; --vscode-focusBorder: #005fb8;
    --vscode-editorIndentGuide-background: #d3d3d3; --vscode-editorLineNumber-foreground: #6e7681;
    --vscode-editor-selectionBackground: #add6ff; --vscode-editor-lineHighlightBackground: #eef3fb;
    --vscode-list-hoverBackground: #f2f2f2; --vscode-textCodeBlock-background: #f4f4f4;
    --vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-foreground: #3b3b3b; --vscode-editorHoverWidget-border: #c8c8c8;
    --vscode-editorWarning-foreground: #895503; --vscode-errorForeground: #a1260d;
    --vscode-charts-red: #c72e0f; --vscode-charts-blue: #1a85ff; --vscode-charts-green: #388a34;
    --vscode-charts-yellow: #9a6d00; --vscode-charts-orange: #c85a00; --vscode-charts-purple: #652d90;
    --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
    --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
    --vscode-checkbox-background: #f8f8f8; --vscode-checkbox-border: #cecece; --vscode-checkbox-foreground: #3b3b3b;
  }
}
`;

export interface ReportAssets {
  script: string;
  css: string;
}

/** The built webview (dist/webview.js and .css), next to the CLI bundle or from the compiled tests. */
export function loadReportAssets(): ReportAssets {
  const candidates = [path.resolve(__dirname), path.resolve(__dirname, '..', '..', '..', '..', '..', 'dist')];
  const dist = candidates.find((dir) => existsSync(path.join(dir, 'webview.js')));
  if (!dist) throw new UserFacingError('The profiler panel is not built (dist/webview.js is missing); run `npm run build` and try again.');
  const css = path.join(dist, 'webview.css');
  return { script: readFileSync(path.join(dist, 'webview.js'), 'utf8'), css: existsSync(css) ? readFileSync(css, 'utf8') : '' };
}

/** One JSON data block of the page: the report adapter reads it by id. */
interface DataBlock {
  id: string;
  value: object | null;
}

/**
 * A report page's pieces in order. A million-event record is written piece by piece, its
 * lock events read from the host's columns a chunk at a time (jsonChunks), so neither its
 * text nor its event objects exist all at once.
 */
function* pageParts(title: string, blocks: DataBlock[], assets: ReportAssets, nonce: string): Generator<string> {
  yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="${panelContentSecurityPolicy(nonce)}">\n`;
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
  yield `<title>${escapeHtml(title)}</title>\n`;
  yield `<style nonce="${nonce}">${REPORT_THEME_CSS}</style>\n`;
  yield `<style nonce="${nonce}">${escapeStyle(assets.css)}</style>\n`;
  yield '</head>\n<body>\n<main id="root"></main>\n';
  for (const block of blocks) {
    yield `<script type="application/json" id="${block.id}">`;
    if (block.value === null) yield 'null';
    else for (const chunk of jsonChunks(block.value)) yield escapeForScriptBlock(chunk);
    yield '</script>\n';
  }
  yield `<script nonce="${nonce}">${escapeScript(assets.script)}</script>\n`;
  yield '</body>\n</html>\n';
}

function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The report of a run's pieces in order. */
export function reportParts(record: RunRecord<LockEventList>, source: SourceText | null, assets: ReportAssets, nonce: string = newNonce()): Iterable<string> {
  const blocks = [
    { id: REPORT_BLOCK_IDS.record, value: record },
    { id: REPORT_BLOCK_IDS.source, value: source },
  ];
  return pageParts(`Parallel Lab: ${path.basename(record.file)}`, blocks, assets, nonce);
}

/** The report of a scaling lab's pieces in order. */
function scalingReportParts(result: ScalingResult, assets: ReportAssets, nonce: string = newNonce()): Iterable<string> {
  const title = `Parallel Lab: Run in parallel: ${result.function} (${path.basename(result.file)})`;
  return pageParts(title, [{ id: REPORT_BLOCK_IDS.scaling, value: result }], assets, nonce);
}

export function renderHtmlReport(record: RunRecord<LockEventList>, source: SourceText | null, assets: ReportAssets = loadReportAssets(), nonce?: string): string {
  return [...reportParts(record, source, assets, nonce)].join('');
}

/** Writes the report for a finished run, with its source read from disk, through a temporary file. */
export async function writeHtmlReport(target: string, record: RunRecord<LockEventList>): Promise<void> {
  const source = await readFile(record.file, 'utf8').then(
    (text): SourceText => ({ file: record.file, text }),
    () => null,
  );
  await writeReportFile(target, (assets) => reportParts(record, source, assets));
}

/** Writes the report of a scaling lab ("Run in parallel"), through a temporary file. */
export async function writeScalingReport(file: string, result: ScalingResult): Promise<void> {
  await writeReportFile(file, (assets) => scalingReportParts(result, assets));
}

/** Writes the parts to a temporary file renamed over the target, so a reader never sees half a report. */
async function writeReportFile(target: string, parts: (assets: ReportAssets) => Iterable<string>): Promise<void> {
  const file = path.resolve(target);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      for (const part of parts(loadReportAssets())) await handle.write(part);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(`Could not write the HTML report to ${file}: ${(error as Error).message}.`);
  }
}

/**
 * JSON text (a whole document or a piece of one) inside <script type="application/json">:
 * every "<" becomes \u003c, so neither "</script" nor "<!--" can end or confuse the block;
 * U+2028/2029 are escaped so the text is also valid JavaScript should anyone paste it into a
 * script. Each replaced character stands alone, so pieces can be escaped one by one.
 */
function escapeForScriptBlock(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The bundle inline: "<" of "</script" and "<!--" written as \x3C, which means "<" in strings, templates and regexes. */
function escapeScript(script: string): string {
  return script.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

function escapeStyle(css: string): string {
  return css.replace(/<\/style/gi, '<\\/style');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}
