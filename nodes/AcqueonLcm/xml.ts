/**
 * The XML strings of a Create Contact message (BussinessFields, Modes, ContactDetail), built with
 * fast-xml-parser's XMLBuilder from name/value pairs, never by concatenation:
 * - every element name is checked as an XML 1.0 name (without a colon: a prefix would need a
 *   namespace declaration LCM never sends; and within the Basic Multilingual Plane, as older XML
 *   readers such as .NET's and fast-xml-parser's own 1.0 check require) before it reaches the builder;
 * - every value is text escaped by the builder (`&`, `<`, `>`, `'`, `"` become entities);
 * - characters XML 1.0 cannot carry at all (NUL, other C0 controls, lone surrogates) are refused,
 *   since no escaping can make them legal;
 * - the built string is parsed back with XMLParser and compared with the input, so a value that
 *   would not arrive exactly as given is an error here rather than a wrong contact in LCM.
 */
import { XMLBuilder, XMLParser, XMLValidator } from './xmlLibrary';

/** One name/value pair as the user (or the input item) gave it. */
export interface XmlField {
	name: string;
	value: string;
}

/** One contact mode: `<Home><Cvalue>…</Cvalue><TZ>…</TZ></Home>`. TZ is left out when empty. */
export interface ContactMode {
	mode: string;
	number: string;
	timezone: string;
}

const NAME_START =
	'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
/** Characters XML 1.0 allows in a document. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/**
 * Valid XML names that JavaScript XML parsers refuse outright, fast-xml-parser among them (and
 * n8n's own XML handling renames them), since they would reach an object's prototype: refused
 * here, so that what is sent can be proved. The names fast-xml-parser would merely rename
 * (`toString`, `hasOwnProperty`, ...) are kept as they are (see the parser's onDangerousProperty).
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` cannot be an element name, or undefined when it can. */
export function xmlNameProblem(name: string): string | undefined {
	if (name === '') return 'is empty; an XML element needs a name';
	if (name.includes(':')) return 'contains ":"; XML namespace prefixes are not supported, use letters, digits, "_", "-" or "."';
	if (!XML_NAME.test(name)) {
		return 'is not a valid XML element name (it must start with a letter or "_" and contain only letters, digits, "_", "-" and ".", no spaces)';
	}
	if (RESERVED.has(name)) {
		return `is reserved: XML readers written in JavaScript refuse "${name}" as a name (it would reach an object's prototype), so it cannot be sent. Rename the field`;
	}
	return undefined;
}

/** Why `value` cannot be XML text, or undefined when it can. */
export function xmlTextProblem(value: string): string | undefined {
	const m = NOT_XML_CHAR.exec(value);
	if (!m) return undefined;
	const code = m[0].codePointAt(0) ?? 0;
	return `contains the character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 cannot carry`;
}

/** XML turns CR LF and CR into LF on reading; the node sends LF so that what arrives is what was sent. */
export function normalizeNewlines(value: string): string {
	return value.replace(/\r\n?/g, '\n');
}

const builder = new XMLBuilder({
	// Text only: no attributes, CDATA or comments can be produced from a value or a name.
	ignoreAttributes: true,
	processEntities: true,
	suppressEmptyNode: false,
	format: false,
});

const parser = new XMLParser({
	ignoreAttributes: true,
	parseTagValue: false,
	trimValues: false,
	processEntities: true,
	htmlEntities: false,
	isArray: () => false,
	// Keep `toString`, `valueOf`, ... as the names they are: they are read into own properties.
	onDangerousProperty: (name: string) => name,
});

export const ROOT = 'Data';

/** Thrown for a bad name or value; `field` says which list and entry. */
export class XmlInputError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly rule: string,
	) {
		super(`${field}: ${rule}`);
	}
}

function check(list: string, entries: XmlField[]): Record<string, string> {
	const out: Record<string, string> = {};
	const seen = new Set<string>();
	for (const { name, value } of entries) {
		const nameProblem = xmlNameProblem(name);
		if (nameProblem) throw new XmlInputError(`${list} element name`, name, nameProblem);
		if (seen.has(name)) throw new XmlInputError(`${list} element name`, name, 'is given twice; each name may appear once');
		seen.add(name);
		const textProblem = xmlTextProblem(value);
		if (textProblem) throw new XmlInputError(`${list}.${name}`, value, textProblem);
		// Object.defineProperty: an own data property whatever the name (no setter is triggered).
		Object.defineProperty(out, name, { value: normalizeNewlines(value), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

function buildVerified(list: string, tree: Record<string, unknown>, expected: unknown): string {
	const xml = builder.build({ [ROOT]: tree }) as string;
	const valid = XMLValidator.validate(xml);
	if (valid !== true) throw new XmlInputError(list, undefined, `the XML built is not well-formed: ${valid.err.msg}`);
	const back = parseDataXml(xml);
	if (JSON.stringify(back) !== JSON.stringify(expected)) {
		throw new XmlInputError(list, undefined, 'the XML built does not read back as the values given');
	}
	return xml;
}

/** `<Data><name>value</name>…</Data>` for business fields and contact detail. */
export function buildFieldsXml(list: string, entries: XmlField[]): string {
	const tree = check(list, entries);
	return buildVerified(list, tree, Object.keys(tree).length ? tree : '');
}

/** `<Data><Home><Cvalue>…</Cvalue><TZ>…</TZ></Home>…</Data>` */
export function buildModesXml(list: string, modes: ContactMode[]): string {
	const tree: Record<string, Record<string, string>> = {};
	// Names first: each a valid element name, each mode once.
	check(
		list,
		modes.map((m) => ({ name: m.mode, value: '' })),
	);
	for (const m of modes) {
		const inner = check(`${list}.${m.mode}`, [
			{ name: 'Cvalue', value: m.number },
			...(m.timezone !== '' ? [{ name: 'TZ', value: m.timezone }] : []),
		]);
		Object.defineProperty(tree, m.mode, { value: inner, enumerable: true, writable: true, configurable: true });
	}
	return buildVerified(list, tree, Object.keys(tree).length ? tree : '');
}

/**
 * Reads one of these XML strings back: `<Data>`'s children as an object of strings (or nested
 * objects for modes). Values stay text: "007" stays "007", "1e3" stays "1e3".
 */
export function parseDataXml(xml: string): unknown {
	const parsed = parser.parse(xml, true) as Record<string, unknown>;
	return parsed[ROOT];
}
