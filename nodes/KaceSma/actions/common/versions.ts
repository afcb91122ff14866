import type { IDisplayOptions, IExecuteFunctions } from 'n8n-workflow';

/**
 * Node version 1.1 (Simplify on by default, user pickers, Create offering the fields of the chosen queue): the
 * parameters that differ are declared twice, shown by the node's version, as n8n's own nodes do.
 */
export const V11 = 1.1;

type Show = NonNullable<IDisplayOptions['show']>;

/** Shown from node version 1.1 on. */
export function fromV11(show: Show): IDisplayOptions {
	return { show: { ...show, '@version': [{ _cnd: { gte: V11 } }] } };
}

/** Shown before node version 1.1 (workflows saved with version 1 keep their parameters). */
export function beforeV11(show: Show): IDisplayOptions {
	return { show, hide: { '@version': [{ _cnd: { gte: V11 } }] } };
}

export function isV11(this: IExecuteFunctions): boolean {
	return Number(this.getNode().typeVersion) >= V11;
}
