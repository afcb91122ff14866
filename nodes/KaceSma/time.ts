/** A KACE timestamp ('YYYY-MM-DD HH:MM:SS', appliance time, no zone) as ms; the "never" date 0000-00-00 is 0. */
export function parseKaceTime(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(value ?? '').trim());
	if (!m) return undefined;
	if (m[1] === '0000') return 0;
	return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The inverse of {@link parseKaceTime} (the zone-less wall time is carried as UTC both ways). */
export function formatKaceTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

