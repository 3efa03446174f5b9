/** zod pieces more than one vendor's schemas use. */
import { z } from 'zod/v4';

/**
 * An object of field names the user chose (custom, additional, associate fields). Checked as a
 * plain object and passed through as it is: zod's record type would drop a `__proto__` key and
 * refuse a record that has a `constructor` key. Keys named `__proto__` are refused by checkExactly.
 */
export const fieldMap = z.custom<Record<string, unknown>>(
	(v) => v !== null && typeof v === 'object' && !Array.isArray(v),
	'must be an object of field names and values',
);
