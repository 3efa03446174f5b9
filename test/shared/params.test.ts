/** The checked readers of parameters: lists, switches and the common options' bounds. */
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { readCommonOptions } from '../../nodes/shared/descriptions';
import { checkChoice, optionChoice } from '../../nodes/shared/params';

const statuses: INodeProperties = {
	displayName: 'Payment Status',
	name: 'payment_status',
	type: 'multiOptions',
	default: [],
	options: [
		{ name: 'Bounced', value: 'bounced' },
		{ name: 'Paid', value: 'paid' },
	],
};
const ctx = { getNode: () => ({ name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }) as unknown as INode } as IExecuteFunctions;

describe('checkChoice', () => {
	test('a multi-select keeps the listed values, in any letter case; one value alone is a list of one', () => {
		expect(checkChoice(statuses, ['paid', 'BOUNCED'])).toEqual({ ok: true, value: ['paid', 'bounced'] });
		expect(checkChoice(statuses, 'paid')).toEqual({ ok: true, value: ['paid'] });
		expect(checkChoice(statuses, ['paid', 'late'])).toEqual({
			ok: false,
			problem: { field: 'Payment Status', value: ['paid', 'late'], rule: 'may only hold Bounced ("bounced"), Paid ("paid")', parameter: true },
		});
	});

	test('a value that matches two options only by letter case is not guessed', () => {
		const twins: INodeProperties = { displayName: 'T', name: 't', type: 'options', default: 'a', options: [{ name: 'A', value: 'a' }, { name: 'Big A', value: 'A' }] };
		expect(checkChoice(twins, 'A')).toEqual({ ok: true, value: 'A' });
		expect(checkChoice(twins, ' a ')).toMatchObject({ ok: false });
	});

	test('an option value need not be text: numbers are compared as they are', () => {
		const status: INodeProperties = { displayName: 'Status', name: 'status', type: 'options', default: 4, options: [{ name: 'Open (0)', value: 0 }, { name: 'Delivered (4)', value: 4 }] };
		expect(checkChoice(status, 0)).toEqual({ ok: true, value: 0 });
		expect(checkChoice(status, '4')).toMatchObject({ ok: false, problem: { rule: 'must be one of Open (0), Delivered (4)' } });
	});

	test('an option missing from the Options collection is its default', () => {
		const output: INodeProperties = { displayName: 'Output', name: 'outputMode', type: 'options', default: 'perRecord', options: [{ name: 'One', value: 'perRecord' }, { name: 'Two', value: 'perRequest' }] };
		expect(optionChoice(ctx, {}, output)).toBe('perRecord');
		expect(optionChoice(ctx, { outputMode: 'perRequest' }, output)).toBe('perRequest');
		expect(() => optionChoice(ctx, { outputMode: 'x' }, output)).toThrow('Item 0: parameter "Output" = "x": must be one of One ("perRecord"), Two ("perRequest")');
	});
});

describe('readCommonOptions', () => {
	const defaults = { concurrency: 3, timeoutSeconds: 30 };
	test('defaults when nothing is set', () => {
		expect(readCommonOptions({}, defaults, ctx)).toEqual({ concurrency: 3, maxAttempts: 4, timeoutSeconds: 30, validateOnly: false });
	});
	test('numbers are whole and kept inside their bounds; anything else is the default', () => {
		expect(readCommonOptions({ concurrency: 0, maxAttempts: 0, timeoutSeconds: 0 }, defaults, ctx)).toMatchObject({ concurrency: 1, maxAttempts: 1, timeoutSeconds: 1 });
		expect(readCommonOptions({ concurrency: 500, maxAttempts: 11, timeoutSeconds: 601 }, defaults, ctx)).toMatchObject({ concurrency: 50, maxAttempts: 10, timeoutSeconds: 600 });
		expect(readCommonOptions({ concurrency: 2.9, maxAttempts: Infinity, timeoutSeconds: '45' }, defaults, ctx)).toMatchObject({ concurrency: 2, maxAttempts: 4, timeoutSeconds: 30 });
	});
	test('Validate Only is a switch', () => {
		expect(readCommonOptions({ validateOnly: 'true' }, defaults, ctx).validateOnly).toBe(true);
		expect(() => readCommonOptions({ validateOnly: 'yes' }, defaults, ctx)).toThrow('parameter "Validate Only (Dry Run)" = "yes": must be true or false');
	});
});
