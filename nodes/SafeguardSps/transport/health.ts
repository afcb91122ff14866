import type { IDataObject } from 'n8n-workflow';

/**
 * How /api/health_status expresses cpu/memory/disk. The public docs show the field names but not the unit
 * (unverified): a ratio 0–1 (e.g. 0.37) or a percentage 0–100. "auto" reads values ≤ 1 as ratios and larger
 * values as percentages; the simulator follows the ratio reading. `system_details.disk.percent` is a percentage.
 */
export type HealthScale = 'auto' | 'ratio' | 'percent';

export const HEALTH_METRICS = ['cpu', 'disk', 'memory'] as const;
export type HealthMetric = (typeof HEALTH_METRICS)[number];

function num(v: unknown): number | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && v.trim()) {
		const n = Number(v.trim().replace(/%$/, ''));
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

export function toPercent(value: unknown, scale: HealthScale): number | undefined {
	const n = num(value);
	if (n === undefined) return undefined;
	const pct = scale === 'ratio' ? n * 100 : scale === 'percent' ? n : n <= 1 ? n * 100 : n;
	return Math.round(pct * 100) / 100;
}

/** cpu / memory / disk of a health_status object as percentages (undefined when SPS did not report one). */
export function healthMetrics(health: IDataObject, scale: HealthScale): Partial<Record<HealthMetric, number>> {
	const out: Partial<Record<HealthMetric, number>> = {};
	const cpu = toPercent(health.cpu, scale);
	if (cpu !== undefined) out.cpu = cpu;
	const memory = toPercent(health.memory, scale);
	if (memory !== undefined) out.memory = memory;
	const details = (health.system_details ?? {}) as IDataObject;
	const diskDetails = (details.disk ?? {}) as IDataObject;
	const diskPercent = num(diskDetails.percent);
	const disk = diskPercent !== undefined ? Math.round(diskPercent * 100) / 100 : toPercent(health.disk, scale);
	if (disk !== undefined) out.disk = disk;
	return out;
}
