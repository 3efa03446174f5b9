// Runs a test file with n8n's `vm` expression engine (isolated-vm), the one the n8n server uses,
// instead of the library's default `legacy` engine. Node 24 only (isolated-vm's prebuilt binaries),
// and jest needs --experimental-vm-modules for the engine's dynamic import: see `npm run test:vm-engine`.
const { Expression } = require('n8n-workflow');

beforeAll(async () => {
	await Expression.initExpressionEngine({ engine: 'vm', bridgeTimeout: 5000, bridgeMemoryLimit: 128, poolSize: 1, maxCodeCacheSize: 1024 });
	if (!Expression.shouldUseVm()) throw new Error("n8n's vm expression engine did not start");
	process.env.CRM_DIALER_EXPRESSION_ENGINE = 'vm';
});
