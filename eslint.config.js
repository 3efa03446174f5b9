// Lint: the rules of n8n's package scanner (@n8n/scan-community-package) on the sources it reads
// (package.json, nodes/, credentials/), so `npm run lint` fails where the scanner would:
// @n8n/eslint-plugin-community-nodes' full `recommended` set (no runtime dependencies, no imports
// beyond what n8n provides, no timer or process globals, pairedItem, NodeApiError, usableAsTool,
// credential tests, author and homepage, ...), `no-console`, and eslint-plugin-n8n-nodes-base's
// community-package, node and credential rules. As in the scanner, inline eslint-disable comments
// do not count there, and package.json is read with the TypeScript parser its rules expect.
// CI also runs the scanner itself on the packed tarball (scripts/scan-package.js).
const tseslint = require('typescript-eslint');
const n8nBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin, configs: communityConfigs } = require('@n8n/eslint-plugin-community-nodes');

const shipped = ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts'];

module.exports = [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'docs/**', 'reports/**', '.stryker-tmp/**'] },
	...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'n8n-nodes-base': n8nBase },
		rules: { ...n8nBase.configs.community.rules },
	},
	{
		files: shipped,
		plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
		linterOptions: { noInlineConfig: true },
		rules: {
			...communityConfigs.recommended.rules,
			'no-console': 'error',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nBase },
		rules: {
			...n8nBase.configs.credentials.rules,
			// "Only applicable to nodes in the main repository": community credentials link to the vendor's docs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nBase },
		rules: {
			...n8nBase.configs.nodes.rules,
			// The package's nodes are self-hosted community nodes; docs URLs point at the vendors.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
	},
];
