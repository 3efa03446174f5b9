/** The sandbox for a test file: started once, reset before each test. */
const sandboxModule = require('../sandbox') as {
	startSandbox: (o?: { port?: number }) => Promise<Sandbox>;
	credentials: Record<string, Record<string, string>>;
};

export interface Sandbox {
	url: string;
	port: number;
	state: () => any;
	reset: () => void;
	setFaults: (f: { faults?: Array<Record<string, unknown>>; latencyMs?: number; maxInFlight?: number | null }) => unknown;
	/** A /__sandbox control call without HTTP: control('POST', '/__sandbox/calls', {...}). */
	control: (method: string, path: string, body?: unknown) => { status: number; body?: any };
	close: () => Promise<void>;
}

export const sandboxCredentials = sandboxModule.credentials;

export function useSandbox(): { current: Sandbox } {
	const ref = {} as { current: Sandbox };
	beforeAll(async () => {
		ref.current = await sandboxModule.startSandbox();
	});
	beforeEach(() => ref.current.reset());
	afterAll(async () => {
		await ref.current?.close();
	});
	return ref;
}
