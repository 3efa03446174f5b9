/** Unit and engine tests: nodes run through n8n-core against the sandbox over HTTP. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
	// Transpile only: types are checked by `npm run typecheck`, which keeps each test run fast.
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	setupFiles: ['<rootDir>/test/harness/setup.js'],
	testTimeout: 60000,
	maxWorkers: 2,
};
