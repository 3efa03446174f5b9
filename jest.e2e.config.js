/**
 * The end-to-end suite: the packed package inside a real n8n (scripts/n8n/), against the sandbox.
 * Run with `npx jest -c jest.e2e.config.js` (installs n8n into .cache/ first if it is missing).
 * One test file at a time: each starts its own n8n processes.
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
  // As jest.config.js: transpile only; `npm run typecheck` checks the types.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/e2e/global-setup.js',
  maxWorkers: 1,
  testTimeout: 10 * 60 * 1000,
  verbose: true,
};
