// Renders the extension's Marketplace icon, media/icon.png (128 × 128), from the activity
// bar glyph media/parallel-lab.svg: the glyph drawn in white on a rounded blue square,
// by Debian's Chromium (PARALLEL_LAB_CHROMIUM, default /usr/bin/chromium) through
// playwright-core, as the screenshot tests do. Run: node scripts/render-icon.mjs

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 128;
const glyph = readFileSync(path.join(ROOT, 'media', 'parallel-lab.svg'), 'utf8')
  .replace(/ width="24" height="24"/, ' width="96" height="96"');

const html = `<!doctype html>
<html><head><style>
  html, body { margin: 0; background: transparent; }
  .tile {
    width: ${SIZE}px; height: ${SIZE}px; border-radius: 24px; box-sizing: border-box;
    display: flex; align-items: center; justify-content: center;
    background: linear-gradient(135deg, #3776ab 0%, #1e4a73 100%);
    color: #ffffff;
  }
</style></head><body><div class="tile">${glyph}</div></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.PARALLEL_LAB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  const out = path.join(ROOT, 'media', 'icon.png');
  await page.locator('.tile').screenshot({ path: out, omitBackground: true });
  console.log(out);
} finally {
  await browser.close();
}
