// Type-aware lint of src/, test/ and bench/; test/unit/lint.test.ts runs it inside `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: 'The engine, shared and webview code runs without VS Code: keep vscode imports in src/extension/vscode.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'runtimes/**', 'samples/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // An array in a message reads as its items joined by commas, which is what the messages want.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowArray: true }],
      // `{ dropped: _, ...kept }` is how a copy leaves a field out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // An async function without await still turns a throw into a rejected promise, which
      // is what callers of a Promise-returning interface expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/extension/engine/**/*.ts', 'src/shared/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      // typescript-eslint's version: with allowTypeImports left false it reports `import type` too.
      '@typescript-eslint/no-restricted-imports': ['error', noVscode],
    },
  },
);
