// Lint: n8n's community-node rules (@n8n/eslint-plugin-community-nodes: pairedItem, NodeApiError,
// usableAsTool, credential tests, ...) and eslint-plugin-n8n-nodes-base's community-package,
// node and credential rules, on TypeScript sources and package.json.
const tseslint = require('typescript-eslint');
const jsonParser = require('jsonc-eslint-parser');
const n8nBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin, configs: communityConfigs } = require('@n8n/eslint-plugin-community-nodes');

module.exports = [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'docs/**'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsonParser },
		plugins: { 'n8n-nodes-base': n8nBase },
		rules: { ...n8nBase.configs.community.rules },
	},
	...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
		rules: {
			...communityConfigs.recommendedWithoutN8nCloudSupport.rules,
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
