/**
 * Lossless JSON for Kaseya VSA. VSA ids are 15–26-digit integers written as bare JSON numbers; JSON.parse
 * rounds anything above 2^53 (16+ digits), so `12345678901234567890123456` would silently become another id.
 * `parseVsaJson` quotes every integer literal with more than 15 significant digits (outside strings) before
 * JSON.parse, so big ids arrive as exact decimal strings. `stringifyIds` then turns the remaining numeric id
 * fields (`…Id`, `…Ids`) into strings too, so ids are strings end to end whatever their length.
 */

/** Digits up to which an integer is always exact in a JS number (2^53 ≈ 9.007e15 has 16 digits). */
const SAFE_DIGITS = 15;

/** True when the character code can continue a JSON number token (digits . e E + -). */
function isNumberCode(d: number): boolean {
	return (d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45;
}

/**
 * Rewrites a JSON text so that integer literals too long to be exact become strings. Tracks string context
 * (including escapes) so digits inside strings are never touched. `123.0`-style decimals whose integer part is
 * long are treated like integers (the fraction is zero for ids; anything else keeps its exact text).
 * Strings are skipped with indexOf and numbers read by character code: a 100-agent page (57 KB) costs about as
 * much as JSON.parse itself (bench: 4.5 ms per 5,000 agents, was 11.7 ms with a character-by-character scan).
 */
export function quoteBigNumbers(text: string): string {
	let out = '';
	let copiedTo = 0;
	const n = text.length;
	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 34) {
			// a string literal: jump to the next quote that is not escaped (preceded by an even number of \)
			let j = i + 1;
			for (;;) {
				const q = text.indexOf('"', j);
				if (q < 0) {
					j = n;
					break;
				}
				let b = q - 1;
				while (b > i && text.charCodeAt(b) === 92) b--;
				j = q + 1;
				if ((q - 1 - b) % 2 === 0) break;
			}
			i = j;
			continue;
		}
		if (c === 45 || (c >= 48 && c <= 57)) {
			const start = i;
			let intStart = c === 45 ? i + 1 : i;
			let k = intStart;
			while (k < n) {
				const d = text.charCodeAt(k);
				if (d >= 48 && d <= 57) k++;
				else break;
			}
			let intDigits = k - intStart;
			while (intDigits > 1 && text.charCodeAt(intStart) === 48) {
				intStart++;
				intDigits--;
			}
			let end = k;
			while (end < n && isNumberCode(text.charCodeAt(end))) end++;
			if (intDigits > SAFE_DIGITS) {
				const token = text.slice(start, end);
				const zeroFraction = /^(-?\d+)\.0+$/.exec(token);
				out += `${text.slice(copiedTo, start)}"${zeroFraction ? zeroFraction[1] : token}"`;
				copiedTo = end;
			}
			i = end;
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

/** `AgentId`, `OrgID`, `AdminScopeIds`, `RoleIDs`… */
function isIdKey(key: string): boolean {
	const last = key.charCodeAt(key.length - 1);
	if (last === 100 || last === 68) return key.endsWith('Id') || key.endsWith('ID');
	if (last === 115) return key.endsWith('Ids') || key.endsWith('IDs');
	return false;
}

/**
 * Turns numeric values of id fields (`AgentId`, `OrgId`, `AdminScopeIds`…) into strings, deeply. Works IN PLACE
 * on a freshly parsed value (no copy of every record) and returns it.
 */
export function stringifyIds<T>(value: T): T {
	if (!value || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		for (const v of value) if (v && typeof v === 'object') stringifyIds(v);
		return value;
	}
	const record = value as Record<string, unknown>;
	for (const key of Object.keys(record)) {
		const v = record[key];
		if (typeof v === 'number') {
			if (Number.isFinite(v) && isIdKey(key)) record[key] = String(v);
		} else if (Array.isArray(v)) {
			if (isIdKey(key)) {
				for (let i = 0; i < v.length; i++) {
					const x: unknown = v[i];
					if (typeof x === 'number') v[i] = String(x);
					else if (x && typeof x === 'object') stringifyIds(x);
				}
			} else stringifyIds(v);
		} else if (v && typeof v === 'object') stringifyIds(v);
	}
	return value;
}
