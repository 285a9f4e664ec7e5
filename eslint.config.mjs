// The workspace's ESLint configuration: typescript-eslint's recommended rules and the module boundaries between projects.
//
// Boundaries, by project tags (each project's package.json `nx.tags`):
// - a library (`type:lib`) imports libraries only, never an app;
// - @voip/clock and @voip/protocol are leaves: they import no other @voip package;
// - each library imports only the libraries below it (`scope:*` constraints);
// - a @voip package is imported through an entry its package.json `exports` (its root,
//   or a subpath such as `@voip/media/internal`), never a path inside it, and only if
//   the importer's package.json declares it (`@nx/dependency-checks` on package.json);
// - no relative import leaves its project, and a project never imports itself by name;
// - @voip/protocol stays sans-IO: no sockets, files, processes, workers or timers.
import { readdirSync, readFileSync } from 'node:fs';
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

// The Nx rules read the cached project graph and skip themselves when there is none.
// An Nx task has just computed it; a plain `eslint` run computes it here, so the
// boundaries are always checked against the projects as they are now.
if (!process.env.NX_TASK_TARGET_PROJECT) await createProjectGraphAsync({ exitOnError: true });

/** Node modules that do I/O or keep time, banned from the sans-IO protocol code. */
const IO_MODULES = ['net', 'dgram', 'tls', 'http', 'https', 'http2', 'fs', 'fs/promises', 'child_process', 'worker_threads', 'cluster', 'timers', 'timers/promises'];

/** Every subpath entry (`@voip/media/internal`, `@voip/x/package.json`) that a workspace package exports. */
const EXPORTED_SUBPATHS = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(new URL(`./${dir}/`, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(new URL(`./${dir}/${entry.name}/package.json`, import.meta.url), 'utf8'));
      } catch {
        return []; // a folder without a package.json is no project
      }
      const subpaths = pkg.exports && typeof pkg.exports === 'object' ? Object.keys(pkg.exports).filter((key) => key.startsWith('./') && !key.includes('*')) : [];
      return subpaths.map((key) => `${pkg.name}/${key.slice(2)}`);
    }),
);

const DEEP_MESSAGE = 'Import a @voip package through an entry its package.json `exports` (its root, or a subpath it lists), never a path inside it.';

/** Import restrictions every project obeys: @voip packages through their exported entries only. */
const DEEP_IMPORTS = {
  group: ['@voip/*/**', ...EXPORTED_SUBPATHS.map((entry) => `!${entry}`)],
  message: DEEP_MESSAGE,
};

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, (char) => `\\${char}`);

/** The same rule for dynamic `import()`, which `no-restricted-imports` does not see. */
const DEEP_DYNAMIC_IMPORT = {
  selector: `ImportExpression[source.value=/^(?!(${EXPORTED_SUBPATHS.map(escapeRegExp).join('|')})$)@voip\\/[^/]+\\//]`,
  message: DEEP_MESSAGE,
};

/** The apps, which no library imports (also caught by the tags once an app has an entry point to resolve). */
const APP_IMPORTS = ['@voip/server', '@voip/client'].map((name) => ({ name, message: 'A library never imports an app: move what both need into a library.' }));

const IO_PATTERN = IO_MODULES.map((name) => name.replace('/', String.raw`\/`)).join('|');

/** What each tag may depend on. Libraries form layers: clock and protocol at the bottom, session on top. */
const DEP_CONSTRAINTS = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:clock', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:protocol', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:clock', 'scope:protocol'] },
  { sourceTag: 'scope:media', onlyDependOnLibsWithTags: ['scope:clock', 'scope:protocol'] },
  { sourceTag: 'scope:session', onlyDependOnLibsWithTags: ['scope:clock', 'scope:protocol', 'scope:media'] },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/test-results/**', '**/coverage/**', '**/tmp/**'],
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { '@nx': nx },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: DEP_CONSTRAINTS }],
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
      'no-restricted-syntax': ['error', DEEP_DYNAMIC_IMPORT],
      // `_name` marks an argument or binding kept on purpose (a port's signature, a tuple slot).
      // Listener signatures of Node-style emitters take `...args: any[]`; any other `any` is refused.
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The React hooks rules for the Ink apps (their hooks live in .ts files too).
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Examples use a package the way its users do: by its name.
    files: ['packages/*/examples/**'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: DEP_CONSTRAINTS, allowCircularSelfDependency: true }],
    },
  },
  {
    // Tests may also use the workspace's test harnesses (`@voip/tools`: the classic
    // server double, network namespaces); published code never does.
    files: ['{packages,apps}/*/test/**'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: ['@voip/tools'], depConstraints: DEP_CONSTRAINTS }],
    },
  },
  {
    // Libraries never import apps.
    files: ['packages/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: APP_IMPORTS, patterns: [DEEP_IMPORTS] }],
    },
  },
  {
    // Sans-IO: the protocol package's code (not its tests) touches no socket, file, process or timer module.
    files: ['packages/protocol/src/**/*.{ts,tsx,mts,js,mjs}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...APP_IMPORTS,
            ...IO_MODULES.flatMap((name) => [name, `node:${name}`]).map((name) => ({
              name,
              message: '@voip/protocol is sans-IO: it encodes and decodes, the caller owns sockets, files and time.',
            })),
          ],
          patterns: [DEEP_IMPORTS],
        },
      ],
      'no-restricted-syntax': [
        'error',
        DEEP_DYNAMIC_IMPORT,
        {
          selector: String.raw`ImportExpression[source.value=/^(node:)?(${IO_PATTERN})$/]`,
          message: '@voip/protocol is sans-IO: it encodes and decodes, the caller owns sockets, files and time.',
        },
      ],
    },
  },
  {
    // Every @voip package a project's published code imports is declared in its package.json.
    files: ['{packages,apps}/*/package.json'],
    languageOptions: { parser: jsoncParser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          checkMissingDependencies: true,
          checkObsoleteDependencies: false,
          checkVersionMismatches: false,
          ignoredFiles: ['{projectRoot}/**/*.test.ts', '{projectRoot}/**/*.test.tsx', '{projectRoot}/test/**', '{projectRoot}/vitest.config.ts'],
        },
      ],
    },
  },
);
