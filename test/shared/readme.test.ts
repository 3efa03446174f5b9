/**
 * The README names the editor's labels in bold or italics (**Campaign Type**, *Map Automatically*,
 * *Options → Records per Request*) and the fields in its tables' first column. Each such name must
 * be a label the package's nodes or credentials show, or one of n8n's own words listed below — so
 * renaming a field without the README fails here. Emphasis that is prose, not a label, is listed too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

/** The classes package.json declares, loaded from their sources. */
function instances<T>(paths: string[]): T[] {
	return paths.flatMap((p) => {
		const mod = require(join(root, p.replace(/^dist\//, '').replace(/\.js$/, ''))) as Record<string, unknown>;
		return Object.values(mod)
			.filter((v): v is new () => T => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v)))
			.map((C) => new C());
	});
}

function labelsOf(properties: readonly unknown[] | undefined, into: Set<string>): void {
	for (const p of (properties ?? []) as Array<Record<string, unknown>>) {
		if (typeof p.displayName === 'string') into.add(p.displayName);
		if (typeof p.name === 'string' && 'value' in p) into.add(p.name); // an option of a list
		labelsOf(p.options as unknown[] | undefined, into);
		labelsOf(p.values as unknown[] | undefined, into);
		labelsOf(p.modes as unknown[] | undefined, into); // a resource locator's modes: From List, By ID
	}
}

const LABELS = new Set<string>();
for (const node of instances<INodeType & { nodeVersions?: Record<string, INodeType> }>(pkg.n8n.nodes)) {
	const descriptions: INodeTypeDescription[] = [node.description, ...Object.values(node.nodeVersions ?? {}).map((v) => v.description)];
	for (const d of descriptions) {
		LABELS.add(d.displayName);
		labelsOf(d.properties as INodeProperties[], LABELS);
	}
}
for (const credential of instances<ICredentialType>(pkg.n8n.credentials)) {
	LABELS.add(credential.displayName);
	labelsOf(credential.properties, LABELS);
}

/** Words of n8n's own editor that the README uses (settings, the resource mapper, error handling). */
const N8N_WORDS = [
	'Settings', 'Community Nodes', 'Install', 'Workflows', 'Import from File', 'Test',
	'On Error', 'Continue', 'Continue (using error output)', 'Continue On Fail',
	'Mapping Column Mode', 'Map Each Column Manually', 'Map Automatically', 'Values to Send',
	'Always Output Data',
	// Triggers: the webhook panel, polling, and the Remove Duplicates node of the follow-up example.
	'Publish', 'Production URL', 'Test URL', 'Webhook URLs → Production URL', 'Listen for test event', 'Execute workflow',
	'Poll Times', 'Fetch Test Event', 'Remove Duplicates', 'Remove Items Processed in Previous Executions', 'Value Is New',
];
/** Emphasis in Title Case that is the README's own, not a label. */
const PROSE = ['Node', 'Connections', 'Invalid Auth Key', 'Times', 'No Customer → Get Many'];

/**
 * The bold and italic phrases written like a label: in Title Case (no word of four or more letters
 * starting in lower case, none at all at the start, no quotes) and not a run-in heading
 * ("**Retries.**"). Sentences, quoted messages and figures ("**1.10 ×**", "**422**") in bold are prose.
 */
function emphasised(markdown: string): string[] {
	let s = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
	const bold = [...s.matchAll(/\*\*([^*]+?)\*\*/g)].map((m) => m[1]);
	s = s.replace(/\*\*([^*]+?)\*\*/g, '');
	const italic = [...s.matchAll(/(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])/g)].map((m) => m[1]);
	return [...bold, ...italic]
		.map((x) => x.replace(/\s+/g, ' ').trim())
		.filter((x) => !/[.:]$/.test(x) && !/^[a-z"0-9]/.test(x) && !/(^|[\s(])[a-z][a-z]{3,}/.test(x));
}

/** First-column names of the tables whose header is "Field" (credential and Acqueon field tables). */
function tableFields(markdown: string): string[] {
	const out: string[] = [];
	let inFieldTable = false;
	for (const line of markdown.split('\n')) {
		if (!line.startsWith('|')) {
			inFieldTable = false;
			continue;
		}
		const first = line.split('|')[1].trim();
		if (/^Field$/.test(first)) inFieldTable = true;
		else if (inFieldTable && !/^-+$/.test(first)) out.push(...first.split(' / '));
	}
	return out;
}

const isLabel = (phrase: string): boolean =>
	LABELS.has(phrase) || N8N_WORDS.includes(phrase) || phrase.split(/ → |: /).every((part) => LABELS.has(part) || N8N_WORDS.includes(part));

describe('README names only labels the editor shows', () => {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');

	test('the nodes and credentials were read', () => {
		for (const label of ['Campaign Type', 'Records per Request', 'Customer Additional Fields', 'Gateway URL', 'Subdomain']) expect(LABELS).toContain(label);
	});

	test('every bold or italic name is a label, one of n8n\'s own words, or listed prose', () => {
		const unknown = [...new Set(emphasised(readme))].filter((p) => !isLabel(p) && !PROSE.includes(p));
		expect(unknown).toEqual([]);
	});

	test('every field in a "Field" table is a label', () => {
		const fields = tableFields(readme);
		expect(fields.length).toBeGreaterThan(10);
		expect(fields.filter((f) => !isLabel(f))).toEqual([]);
	});
});
