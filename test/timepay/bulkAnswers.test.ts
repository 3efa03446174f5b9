/** TimePay's bulk answers read record by record (mapBulkAnswer), including the cases the sandbox does not produce. */
import { mapBulkAnswer } from '../../nodes/TimePay/bulkAnswers';
import type { BulkResults } from '../../nodes/TimePay/schemas';

const ids = ['A', 'B', 'C'];
const added = { success: 'added' as const };

describe('mapBulkAnswer', () => {
	test('201: every record applied, with the answer message', () => {
		expect(mapBulkAnswer(ids, 201, { message: 'Added 3 of 3 records', results: {} }, added).map((v) => [v.outcome, v.message])).toEqual([
			['added', 'Added 3 of 3 records'],
			['added', 'Added 3 of 3 records'],
			['added', 'Added 3 of 3 records'],
		]);
	});

	test('without a message the status stands in', () => {
		expect(mapBulkAnswer(['A'], 201, { results: {} }, added)[0].message).toBe('HTTP 201');
	});

	test('invalidRecords by position, errors by id; reasons without the record position; a duplicate is "already present" only when adding', () => {
		const body: BulkResults = {
			message: 'Added 1 of 3 records',
			results: {
				invalidRecords: [{ index: 1, errors: ["Record 1: Invalid phone_number '1'", 'Record 1: Missing language'] }],
				errors: [{ id: 'C', error: 'DUPLICATE', reason: "Record 2: Customer with loan_id 'C' already exists in this campaign." }],
			},
		};
		expect(mapBulkAnswer(ids, 207, body, added)).toEqual([
			{ outcome: 'added', message: 'Added 1 of 3 records' },
			{ outcome: 'rejected', message: "Invalid phone_number '1'; Missing language", errors: ["Invalid phone_number '1'", 'Missing language'] },
			{ outcome: 'already present', message: "Customer with loan_id 'C' already exists in this campaign." },
		]);
		// Updating, "already exists" is no success: the record was not updated.
		expect(mapBulkAnswer(ids, 207, body, { success: 'updated' })[2]).toEqual({
			outcome: 'rejected',
			message: "Customer with loan_id 'C' already exists in this campaign.",
			errors: ["Customer with loan_id 'C' already exists in this campaign."],
		});
	});

	test('an error code alone, or nothing, still names what happened', () => {
		const body: BulkResults = { results: { errors: [{ id: 'A', error: 'duplicate' }, { id: 'B' }, { id: null, error: 'lost' }], invalidRecords: [{ index: 2 }] } };
		expect(mapBulkAnswer(ids, 207, body, added)).toEqual([
			{ outcome: 'already present', message: 'duplicate' },
			{ outcome: 'rejected', message: 'Failed (not added)', errors: ['Failed (not added)'] },
			{ outcome: 'rejected', message: 'Invalid record', errors: ['Invalid record'] },
		]);
		expect(mapBulkAnswer(['B'], 207, { results: { errors: [{ id: 'B' }] } }, { success: 'updated' })[0].message).toBe('Failed (not updated)');
	});

	test('top-level invalidRecords (the 400 "No valid records" answer) are read too', () => {
		const body: BulkResults = { message: 'No valid records to add', invalidRecords: [{ index: 0, errors: ['Record 0: bad'] }] };
		expect(mapBulkAnswer(['A', 'B'], 400, body, added)).toEqual([
			{ outcome: 'rejected', message: 'bad', errors: ['bad'] },
			// A 400 applied nothing: a record it does not list was not added either.
			{ outcome: 'rejected', message: 'No valid records to add', errors: ['No valid records to add'] },
		]);
	});

	test('calls: each added record says whether its call started, with the reason when not', () => {
		const body: BulkResults = {
			message: 'Added 2 of 2 records',
			results: {},
			callResults: { errors: [{ id: 'B', error: 'Invalid phone number' }, { id: 'C' }, null, { error: 'no id' }] },
		};
		const callOptions = { initiateCall: true, callConfig: { agentId: 'a', dispositionId: 'd' } };
		expect(mapBulkAnswer(ids, 201, body, { ...added, callOptions }).map((v) => v.extra)).toEqual([
			{ callInitiated: true },
			{ callInitiated: false, callError: 'Invalid phone number' },
			{ callInitiated: false, callError: 'Call could not be initiated' },
		]);
		// No call asked for, or no callResults in the answer: nothing is claimed about calls.
		expect(mapBulkAnswer(ids, 201, body, added)[0].extra).toBeUndefined();
		expect(mapBulkAnswer(ids, 201, { results: {} }, { ...added, callOptions })[0].extra).toBeUndefined();
	});

	test('run workflow: workflowTriggered as the answer says, only when asked for', () => {
		const body: BulkResults = { results: {}, workflowTriggered: false };
		expect(mapBulkAnswer(['A'], 201, body, { ...added, callOptions: { useWorkflow: true } })[0].extra).toEqual({ workflowTriggered: false });
		expect(mapBulkAnswer(['A'], 201, body, added)[0].extra).toBeUndefined();
		expect(mapBulkAnswer(['A'], 201, { results: {} }, { ...added, callOptions: { useWorkflow: true } })[0].extra).toBeUndefined();
	});
});
