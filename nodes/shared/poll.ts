import type { IDataObject } from 'n8n-workflow';

/**
 * De-duplication memory for polling triggers, kept in workflow static data: the keys already emitted, bounded
 * (oldest forgotten first) so the static data cannot grow without limit.
 */
export class SeenKeys {
	private readonly keys: string[];
	private readonly set: Set<string>;

	constructor(
		private readonly store: IDataObject,
		private readonly field = 'seen',
		private readonly max = 5000,
	) {
		this.keys = Array.isArray(store[field]) ? (store[field] as string[]).map(String) : [];
		this.set = new Set(this.keys);
	}

	has(key: string): boolean {
		return this.set.has(key);
	}

	add(key: string): void {
		if (this.set.has(key)) return;
		this.set.add(key);
		this.keys.push(key);
		while (this.keys.length > this.max) this.set.delete(this.keys.shift()!);
		this.store[this.field] = this.keys;
	}

	get size(): number {
		return this.keys.length;
	}
}
