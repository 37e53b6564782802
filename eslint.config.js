import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'release', 'test-results', 'playwright-report', '.tmp', '.electron-native'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Text from the database is shown as text, never parsed as HTML: React escapes what it renders, so the
    // only ways in are these. Content Security Policy blocks inline handlers too; this keeps them out of the code.
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Never render HTML from a string: show text (React escapes it).' },
        { selector: "Property[key.name='dangerouslySetInnerHTML']", message: 'Never render HTML from a string: show text (React escapes it).' },
        { selector: "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]", message: 'Never assign HTML: use textContent or React.' },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|parseFromString)$/]", message: 'Never parse HTML from a string in the renderer.' },
        { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'Never write HTML into the document.' },
      ],
    },
  },
  {
    // The renderer is sandboxed: it must never reach for Node or the database.
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'better-sqlite3', 'kysely', 'pg', 'electron'], message: 'The renderer and shared/ run without Node.' },
            { group: ['**/electron/**'], message: 'The renderer talks to the main process only through the contract.' },
          ],
        },
      ],
    },
  },
  {
    // The packaged shell never imports the development bridge (what both need, like the CSP, has a module of its own).
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/security.ts', 'electron/desktop/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bridge/**', './bridge/*'], message: 'The packaged shell must not import the development bridge.' }] }],
    },
  },
)
