'use strict';
/** Plain-text and Markdown tables for the benchmark report. */

const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const fmtMb = (x) => (Number.isFinite(x) ? `${Math.max(0, x).toFixed(0)} MB` : '–');

/**
 * columns: [[key, header], …]; rows: objects. A row with `note` and no other values spans the table
 * (skipped or failed scenarios). format: 'text' | 'md'.
 */
function fmtTable(columns, rows, format = 'text') {
	const cell = (row, key) => {
		const v = row[key];
		return v === undefined || v === null ? '' : String(v);
	};
	const body = rows.map((row) => {
		if (row.note !== undefined && columns.slice(1).every(([k]) => row[k] === undefined || k === 'pass')) {
			return columns.map(([k], i) => (i === 0 ? cell(row, k) : i === 1 ? row.note : k === 'pass' ? cell(row, 'pass') : ''));
		}
		return columns.map(([k]) => cell(row, k));
	});
	const head = columns.map(([, h]) => h);
	if (format === 'md') {
		const esc = (s) => s.replace(/\|/g, '\\|');
		return [
			`| ${head.map(esc).join(' | ')} |`,
			`| ${head.map(() => '---').join(' | ')} |`,
			...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
		].join('\n');
	}
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i].length > 60 ? 0 : r[i].length))));
	const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
	return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

module.exports = { fmtTable, fmtRatio, fmtMb };
