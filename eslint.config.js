// ESLint (flat config), run by `npm run lint` with dependency-cruiser (import boundaries, layers and
// cycles: .dependency-cruiser.cjs) and Prettier (formatting: .prettierrc.json).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Below the workers and browser-capable: everything in these folders except *.node.ts, tests and test helpers. */
const CORE = ['util', 'render', 'games', 'model', 'runtime', 'data', 'records', 'policy', 'rl', 'train'].map((d) => `src/${d}/**`);
const TESTS = ['**/*.test.ts', '**/*.check.ts', '**/testkit.ts', '**/*.testkit.ts'];

export default defineConfig(
  globalIgnores(['dist/', 'dist-*/', 'models/', 'public/', 'python/', 'out/', 'test-results/', 'playwright-report/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The developer guide: no `any` without a comment saying why (an eslint-disable line with the reason).
      '@typescript-eslint/no-explicit-any': 'error',
      // The code's convention: a `_`-prefixed name is deliberately unused (a field dropped by rest destructuring,
      // a parameter a signature needs); 16 places rely on it.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript run by Node: the CLI's launcher, the export's worker-thread entry, config files.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**', 'src/store/**', 'src/bench/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The core also runs in browsers: Node's globals only in *.node.ts files (dependency-cruiser keeps
    // node:* imports out; tsconfig.core.json keeps the DOM out).
    files: CORE,
    ignores: ['**/*.node.ts', ...TESTS],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', '__dirname', '__filename', 'require', 'global', 'setImmediate'].map((name) => ({
          name,
          message: `${name} is Node-only; this module also runs in browsers (a Node-only module is named *.node.ts).`,
        })),
      ],
    },
  },
);
