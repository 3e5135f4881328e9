// Lint: typescript-eslint with type information (one program from tsconfig.json, so the rules
// that need types see what `npm run typecheck` sees). Formatting is prettier's job, not eslint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', 'bench/out/', 'coverage/', '.tmp/', 'bench/media/'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A name that hides an outer one reads as the outer one at a glance.
      'no-shadow': 'off',
      '@typescript-eslint/no-shadow': ['error', { ignoreTypeValueShadow: true, ignoreFunctionTypeParameterNameValueShadow: true }],
      // `_name` marks a parameter an interface requires but this implementation does not read.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unused-private-class-members': 'error',
      // A promise nobody awaits loses its rejection: await it, or `void` it with a comment saying why.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Fakes and adapters implement Promise-returning interfaces with `async` so that a throw
      // becomes a rejection, as the interface promises; they need no `await` for that.
      '@typescript-eslint/require-await': 'off',
      // hls.js's enums are types only here (the IIFE build takes hls.js from the page, so its
      // values cannot be imported), and the frame decoder compares wire bytes with FrameType by
      // design: comparing those with literals is the point, not a slip.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // Asymmetric matchers (expect.stringMatching, expect.any, ...) are typed `any` by vitest.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['tracker/src/http/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
