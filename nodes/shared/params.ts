import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A parameter read per item, evaluated once when it holds no expression: reading a fixed value
 * through getNodeParameter for each of 100,000 items costs more than validating the records.
 */
export function perItemParameter<T>(ctx: IExecuteFunctions, name: string, fallback: T): (itemIndex: number) => T {
	const raw = ctx.getNode().parameters[name];
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	if (!isExpression) {
		const value = ctx.getNodeParameter(name, 0, fallback) as T;
		return () => value;
	}
	return (itemIndex) => ctx.getNodeParameter(name, itemIndex, fallback) as T;
}
