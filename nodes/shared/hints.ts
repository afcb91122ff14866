import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Adds a warning to the n8n execution hints (output pane) when this n8n version supports them (1.x and 2.x do). */
export function warningHint(this: IExecuteFunctions, message: string): void {
	const ctx = this as IExecuteFunctions & { addExecutionHints?: IExecuteFunctions['addExecutionHints'] };
	if (typeof ctx.addExecutionHints === 'function') ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

/**
 * Says that an output is not what the user asked for (incomplete, capped, re-read…) where it cannot be missed:
 * an n8n execution hint, and `_warning` on the first output item (hints do not travel with the data; the
 * `_warning` field does, e.g. into the next node or an AI agent's tool answer). Returns the items.
 */
export function warnInOutput<T extends IDataObject>(this: IExecuteFunctions, out: T[], message: string): T[] {
	warningHint.call(this, message);
	if (out.length) out[0] = { ...out[0], _warning: out[0]._warning ? `${String(out[0]._warning)} ${message}` : message };
	return out;
}
