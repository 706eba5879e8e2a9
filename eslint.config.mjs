// ESLint: the import boundaries between runtimes (scripts/eslint/boundaries.mjs) and a few
// correctness rules from typescript-eslint. `npm run lint`; part of `npm test`.
import tseslint from 'typescript-eslint';
import { boundaries } from './scripts/eslint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', '**/*.d.ts'] },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { sdnb: { rules: { boundaries } } },
    rules: {
      'sdnb/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
