/**
 * The examples/ workflows as the engine harness runs them: the Code node's sample items become
 * the trigger's pinned input, and each package node keeps its parameters and typeVersion exactly as
 * saved in the example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

export interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}

export function loadExample(file: string) {
	const wf = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as { nodes: ExampleNode[]; connections: IDataObject };
	const code = wf.nodes.find((n) => n.type === 'n8n-nodes-base.code')!;
	const samples = (new Function(String(code.parameters.jsCode)) as () => Array<{ json: IDataObject }>)().map((x) => x.json);
	// The harness names the trigger "Start": point references to the sample node at it.
	const ours = wf.nodes
		.filter((n) => n.type.startsWith('n8n-nodes-crm-dialer.'))
		.map((n) => ({ ...n, parameters: JSON.parse(JSON.stringify(n.parameters).split(code.name).join('Start')) as IDataObject }));
	return { wf, samples, ours };
}
