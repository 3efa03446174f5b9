/** What the editor shows of the four nodes: canvas subtitles in the labels a user reads. */
import type { INode, INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { TimePay } from '../../nodes/TimePay/TimePay.node';

const NODES: Record<string, INodeType> = { timePay: new TimePay(), kaptureCrm: new KaptureCrm(), cuoral: new Cuoral(), acqueonLcm: new AcqueonLcm() };

/** The subtitle as the editor computes it (n8n's expression engine, on the node's parameters). */
function subtitleOf(type: string, parameters: Record<string, string>): unknown {
	const node: INode = { id: '1', name: 'N', type, typeVersion: 1, position: [0, 0], parameters };
	const nodeTypes = {
		getByName: () => NODES[type],
		getByNameAndVersion: () => NODES[type],
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
	return workflow.expression.getSimpleParameterValue(node, NODES[type].description.subtitle as string, 'internal', {});
}

const options = (p: INodeProperties | undefined) => (p?.options ?? []) as INodePropertyOptions[];

describe('canvas subtitles', () => {
	const cases = Object.entries(NODES).flatMap(([type, node]) => {
		const props = node.description.properties;
		const resources = options(props.find((p) => p.name === 'resource'));
		return props
			.filter((p) => p.name === 'operation')
			.flatMap((op) =>
				((op.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
					options(op).map((o) => [type, resource, String(o.value), `${resources.find((r) => r.value === resource)!.name} → ${o.name}`] as const),
				),
			);
	});

	test('every resource and operation of the four nodes is covered', () => {
		expect(cases.map(([type, resource, operation]) => `${type} ${resource}:${operation}`)).toEqual(
			expect.arrayContaining(['timePay customer:bulkAdd', 'timePay call:initiate', 'kaptureCrm customer:addOrUpdate', 'cuoral customer:create', 'acqueonLcm contact:create']),
		);
	});

	test.each(cases)('%s %s:%s shows "%s"', (type, resource, operation, label) => {
		expect(subtitleOf(type, { resource, operation })).toBe(label);
	});
});
