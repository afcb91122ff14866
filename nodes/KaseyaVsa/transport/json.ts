/**
 * Lossless JSON for Kaseya VSA. VSA ids are 15–26-digit integers written as bare JSON numbers; JSON.parse
 * rounds anything above 2^53 (16+ digits), so `12345678901234567890123456` would silently become another id.
 * `parseVsaJson` quotes every integer literal with more than 15 significant digits (outside strings) before
 * JSON.parse, so big ids arrive as exact decimal strings. `stringifyIds` then turns the remaining numeric id
 * fields (`…Id`, `…Ids`) into strings too, so ids are strings end to end whatever their length.
 */

/** Digits up to which an integer is always exact in a JS number (2^53 ≈ 9.007e15 has 16 digits). */
const SAFE_DIGITS = 15;

/** True when a character can continue a JSON number token. */
function isNumberChar(c: string): boolean {
	return (c >= '0' && c <= '9') || c === '-' || c === '+' || c === '.' || c === 'e' || c === 'E';
}

/**
 * Rewrites a JSON text so that integer literals too long to be exact become strings. Tracks string context
 * (including escapes) so digits inside strings are never touched. `123.0`-style decimals whose integer part is
 * long are treated like integers (the fraction is zero for ids; anything else keeps its exact text).
 */
export function quoteBigNumbers(text: string): string {
	let out = '';
	let i = 0;
	let copiedTo = 0;
	const n = text.length;
	while (i < n) {
		const c = text[i];
		if (c === '"') {
			// skip a string literal
			i++;
			while (i < n) {
				const s = text[i];
				if (s === '\\') i += 2;
				else if (s === '"') {
					i++;
					break;
				} else i++;
			}
			continue;
		}
		if (c === '-' || (c >= '0' && c <= '9')) {
			const start = i;
			while (i < n && isNumberChar(text[i])) i++;
			const token = text.slice(start, i);
			const digits = token.replace(/^-/, '').split(/[.eE]/)[0].replace(/^0+(?=\d)/, '');
			if (digits.length > SAFE_DIGITS) {
				let exact = token;
				const zeroFraction = /^(-?\d+)\.0+$/.exec(token);
				if (zeroFraction) exact = zeroFraction[1];
				out += text.slice(copiedTo, start) + `"${exact}"`;
				copiedTo = i;
			}
			continue;
		}
		i++;
	}
	return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** Parses a VSA JSON text without losing precision on big integers. Throws SyntaxError on invalid JSON. */
export function parseVsaJson(text: string): unknown {
	return JSON.parse(quoteBigNumbers(text));
}

const ID_KEY = /(Id|ID|Ids|IDs)$/;

/** Turns numeric values of id fields (`AgentId`, `OrgId`, `AdminScopeIds`…) into strings, deeply. */
export function stringifyIds<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => stringifyIds(v)) as unknown as T;
	if (!value || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		if (ID_KEY.test(key)) {
			if (typeof v === 'number' && Number.isFinite(v)) out[key] = String(v);
			else if (Array.isArray(v)) out[key] = v.map((x) => (typeof x === 'number' ? String(x) : stringifyIds(x)));
			else out[key] = stringifyIds(v);
		} else {
			out[key] = stringifyIds(v);
		}
	}
	return out as T;
}
