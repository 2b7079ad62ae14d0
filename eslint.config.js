import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Process boundaries are enforced here, not by review: core/ and contract/ are pure, the
// renderer reaches the rest only through the contract, and nothing outside electron/ imports
// Electron (the binary is absent in tests, CI and browser mode).
const nodeBuiltins = {
  group: ['node:*'],
  message: 'core/, contract/ and renderer/ stay free of Node APIs.',
}

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'release',
      'test-results',
      'playwright-report',
      'db/migrations',
      '.native',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['core/**', 'contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            {
              group: [
                'electron',
                'better-sqlite3',
                'drizzle-orm*',
                'react*',
                '../db/*',
                '../services/*',
              ],
              message: 'core/ and contract/ are pure.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            {
              group: [
                'electron',
                'better-sqlite3',
                'drizzle-orm*',
                '**/db/*',
                '**/services/*',
                '**/server/*',
                '**/cli/*',
                '**/electron/*',
              ],
              message: 'The renderer talks to the rest only through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'core/**',
      'contract/**',
      'db/**',
      'services/**',
      'server/**',
      'cli/**',
      'renderer/**',
      'bench/**',
      'test/unit/**',
      'test/db/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only electron/ may import Electron.' }] },
      ],
    },
    ignores: ['core/**', 'contract/**', 'renderer/src/**'],
  },
  {
    // Benchmarks and scripts report on stdout.
    files: ['bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
)
