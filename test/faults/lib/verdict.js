'use strict';
/**
 * A small checker for a case's expectations: every check records whether it held and what was seen, so the
 * table can say exactly which expectation failed.
 */
const short = (v, n = 140) => {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	if (s === undefined) return 'undefined';
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};

class Verdict {
	constructor() {
		this.failures = [];
		this.notes = [];
	}
	ok(cond, label) {
		if (!cond) this.failures.push(label);
		return !!cond;
	}
	eq(actual, expected, label) {
		const same = JSON.stringify(actual) === JSON.stringify(expected);
		if (!same) this.failures.push(`${label}: got ${short(actual, 80)}, want ${short(expected, 80)}`);
		return same;
	}
	atMost(actual, max, label) {
		if (!(actual <= max)) this.failures.push(`${label}: ${actual} > ${max}`);
		return actual <= max;
	}
	atLeast(actual, min, label) {
		if (!(actual >= min)) this.failures.push(`${label}: ${actual} < ${min}`);
		return actual >= min;
	}
	match(text, re, label) {
		const ok = typeof text === 'string' && re.test(text);
		if (!ok) this.failures.push(`${label}: ${short(text, 160)} !~ ${re}`);
		return ok;
	}
	noMatch(text, re, label) {
		const ok = typeof text !== 'string' || !re.test(text);
		if (!ok) this.failures.push(`${label}: ${short(text, 160)} =~ ${re}`);
		return ok;
	}
	note(text) {
		this.notes.push(text);
	}
	done(summary) {
		const parts = [summary, ...this.notes].filter(Boolean);
		if (this.failures.length) parts.push(`FAILED: ${this.failures.join('; ')}`);
		return { pass: this.failures.length === 0, observed: parts.join('; ') };
	}
}

const verdict = () => new Verdict();

/** The message (+ description) of a run's error, or of its first error item. */
function errorText(r) {
	if (!r) return '';
	if (r.error) return `${r.error.message ?? ''} | ${r.error.description ?? ''}`;
	const item = (r.items || []).find((i) => i && i.error);
	return item ? `${item.error} | ${item.description ?? ''}` : '';
}

function hasError(r) {
	return !!(r && (r.error || (r.items || []).some((i) => i && i.error)));
}

/** Requests a simulator received for an exact path (optionally one method). */
function hits(sim, path, method) {
	return sim.requests.filter((q) => (path instanceof RegExp ? path.test(q.path) : q.path === path) && (!method || q.method === method));
}

module.exports = { verdict, errorText, hasError, hits, short };
