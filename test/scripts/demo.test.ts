/** The demo's command line (scripts/n8n/demo.js): the options the README documents. */
const { parseArgs, UsageError } = require('../../scripts/n8n/demo') as {
	parseArgs: (argv: string[]) => Record<string, unknown>;
	UsageError: new (m: string) => Error;
};

describe('npm run demo -- options', () => {
	test('--port and --sandbox-port take a number, as "--port 5678" or "--port=5678"', () => {
		expect(parseArgs(['--keep', '--port', '5678', '--sandbox-port=4010'])).toEqual({ keep: true, port: 5678, 'sandbox-port': 4010 });
		expect(parseArgs(['--port=25678'])).toEqual({ port: 25678 });
	});

	test('--no-build and --workflow', () => {
		expect(parseArgs(['--no-build', '--workflow', 'examples/cuoral-create-customer.json'])).toEqual({
			'no-build': true,
			workflow: 'examples/cuoral-create-customer.json',
		});
	});

	test.each([
		[['--port', 'abc'], /--port must be a port number/],
		[['--port', '70000'], /--port must be a port number/],
		[['--port'], /--port needs a value/],
		[['--port', '--keep'], /--port needs a value/],
		[['--keep=yes'], /--keep takes no value/],
		[['--nobuild'], /unknown option --nobuild/],
		[['keep'], /unexpected argument "keep"/],
	])('%j is refused with a message that names the mistake', (argv, message) => {
		expect(() => parseArgs(argv as string[])).toThrow(UsageError);
		expect(() => parseArgs(argv as string[])).toThrow(message as RegExp);
	});
});
