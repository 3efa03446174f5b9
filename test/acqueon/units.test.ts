import { interpretResponse, splitLcmKey } from '../../nodes/AcqueonLcm/api';
import { isTimeZone, toLcmDate } from '../../nodes/AcqueonLcm/dates';
import { buildFieldsXml, buildModesXml, xmlNameProblem, xmlTextProblem } from '../../nodes/AcqueonLcm/xml';
import { readData } from './fixtures';

describe('XML names', () => {
	// Names JavaScript XML readers merely rename (fast-xml-parser's onDangerousProperty) are sent as they are.
	test.each(['first_name', 'Home', '_x', 'a-b.c', 'née', 'नाम', 'Ω1', 'x·y', 'toString', 'Prototype', 'Constructor', 'hasOwnProperty'])('%p is a valid element name', (name) => {
		expect(xmlNameProblem(name)).toBeUndefined();
	});
	test.each(['', '1a', '-a', '.a', 'a b', 'a:b', 'a<b', 'a&b', '@_a', '#text', '?xml', 'a/b', '__proto__', 'constructor', 'prototype', '😀'])(
		'%p is refused',
		(name) => {
			expect(xmlNameProblem(name)).toEqual(expect.any(String));
		},
	);
});

describe('XML text', () => {
	test('control characters and lone surrogates are refused; tabs, newlines, emoji are fine', () => {
		expect(xmlTextProblem('a\u0000b')).toContain('U+0000');
		expect(xmlTextProblem('a\u001Fb')).toContain('U+001F');
		expect(xmlTextProblem('a\uD800b')).toContain('U+D800');
		expect(xmlTextProblem('a\uFFFEb')).toContain('U+FFFE');
		expect(xmlTextProblem('tab\tnl\ncr\r 😀 नमस्ते')).toBeUndefined();
	});

	test('the builder escapes &, <, >, quotes and apostrophes, and the parser gives the exact text back', () => {
		const values = {
			a: '</first_name><x>',
			b: ']]>',
			c: '&amp;',
			d: `"double" 'single'`,
			e: '&#x41; &lt; &nbsp;',
			f: '😀🎉 नमस्ते',
			g: '007',
			h: '-1.50',
			i: 'true',
			j: '  ',
			k: '',
		};
		const xml = buildFieldsXml('BussinessFields', Object.entries(values).map(([name, value]) => ({ name, value })));
		expect(xml).toBe(
			'<Data><a>&lt;/first_name&gt;&lt;x&gt;</a><b>]]&gt;</b><c>&amp;amp;</c><d>&quot;double&quot; &apos;single&apos;</d>' +
				'<e>&amp;#x41; &amp;lt; &amp;nbsp;</e><f>😀🎉 नमस्ते</f><g>007</g><h>-1.50</h><i>true</i><j>  </j><k></k></Data>',
		);
		expect(readData(xml)).toEqual(values);
	});

	test('CR LF is sent as LF, since XML readers turn it into LF anyway', () => {
		const xml = buildFieldsXml('X', [{ name: 'note', value: 'a\r\nb\rc' }]);
		expect(readData(xml)).toEqual({ note: 'a\nb\nc' });
	});

	test('modes: Cvalue and TZ, TZ left out when empty; duplicates refused', () => {
		const xml = buildModesXml('Modes', [
			{ mode: 'Home', number: '609309034', timezone: '(UTC-05:00) Eastern Time (US and Canada)' },
			{ mode: 'Mobile', number: '0044', timezone: '' },
		]);
		expect(xml).toBe(
			'<Data><Home><Cvalue>609309034</Cvalue><TZ>(UTC-05:00) Eastern Time (US and Canada)</TZ></Home><Mobile><Cvalue>0044</Cvalue></Mobile></Data>',
		);
		expect(() => buildModesXml('Modes', [{ mode: 'Home', number: '1', timezone: '' }, { mode: 'Home', number: '2', timezone: '' }])).toThrow(
			'is given twice',
		);
		expect(buildModesXml('Modes', [])).toBe('<Data></Data>');
	});
});

describe('LCM dates', () => {
	test('formats and zones', () => {
		expect(toLcmDate('2024-10-24T07:33:00', 'UTC')).toEqual({ text: '24/10/2024 07:33', sortKey: '202410240733' });
		expect(toLcmDate('2024-10-24', 'UTC')?.text).toBe('24/10/2024 00:00');
		expect(toLcmDate('2024-10-24T02:03:59.999Z', 'Asia/Kolkata')?.text).toBe('24/10/2024 07:33');
		expect(toLcmDate('2024-10-24T07:33:00+0530', 'UTC')?.text).toBe('24/10/2024 02:03');
		expect(toLcmDate(new Date('2024-10-24T02:03:00Z'), 'Asia/Kathmandu')?.text).toBe('24/10/2024 07:48');
		expect(toLcmDate({ toMillis: () => Date.UTC(2024, 0, 1, 0, 0) }, 'America/Los_Angeles')?.text).toBe('31/12/2023 16:00');
		expect(toLcmDate('24/10/2024 07:33', 'UTC')?.text).toBe('24/10/2024 07:33');
		for (const bad of ['2024-13-01T00:00', '2024-02-30T10:00:00Z', '31/02/2024 10:00', '24/10/2024 24:00', 'tomorrow', 1700000000000, null, {}]) {
			expect(toLcmDate(bad, 'UTC')).toBeUndefined();
		}
	});

	test('timezones', () => {
		expect(isTimeZone('Asia/Kolkata')).toBe(true);
		expect(isTimeZone('UTC')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
	});
});

describe('CreateContactResponse', () => {
	test('the documented answer gives the LCM key', () => {
		const verdict = interpretResponse({
			statusCode: 200,
			body: { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { response: '77|1|18|0|0|84|0' } },
		});
		expect(verdict).toEqual({ ok: true, lcmKey: '77|1|18|0|0|84|0' });
		expect(splitLcmKey('77|1|18|0|0|84|0')).toEqual(['77', '1', '18', '0', '0', '84', '0']);
	});

	test.each([
		[400, { subtopic: 'CreateContactResponse', message: { error: 'Missing required field(s): Modes' } }, 'Missing required field(s): Modes'],
		[500, 'Internal error', 'Internal error'],
		[502, undefined, 'HTTP 502'],
		[200, 'OK', 'The answer is not a CreateContactResponse message: OK'],
		[200, [], 'The answer is not a CreateContactResponse message: []'],
		[200, { subtopic: 'CreateContactResponse' }, 'has no message object'],
		[200, { subtopic: 'CreateContactResponse', message: 'Campaign stopped' }, 'Campaign stopped'],
		[200, { subtopic: 'CreateContactResponse', message: { response: 'Failed to insert contact' } }, 'Failed to insert contact'],
	])('HTTP %p %j is refused: %s', (statusCode, body, text) => {
		const verdict = interpretResponse({ statusCode, body });
		expect(verdict.ok).toBe(false);
		expect((verdict as { text: string }).text).toContain(text);
	});
});
