// Writes l10n/bundle.l10n.json: every string the extension host shows through
// vscode.l10n.t, the English bundle translators start from. A unit test checks it is
// current (`npm run l10n` after adding a string).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CALL = /vscode\.l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g;

export function collectStrings(dir = path.join(root, 'src', 'extension')) {
  const strings = new Set();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    for (const match of readFileSync(path.join(dir, entry), 'utf8').matchAll(CALL)) {
      strings.add(match[1].replace(/\\'/g, "'").replace(/\\n/g, '\n'));
    }
  }
  return Object.fromEntries([...strings].sort().map((s) => [s, s]));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  writeFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), JSON.stringify(collectStrings(), null, 2) + '\n');
}
