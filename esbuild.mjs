// One build script for the three bundles: the extension host (Node, `vscode` external),
// the `parallel-lab` command line (Node), and the profiler webview (browser).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const bundles = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/extension/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

if (watch) {
  for (const options of bundles) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(bundles.map((options) => esbuild.build(options)));
}
