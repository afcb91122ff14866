import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { LOCAL_GROUPS } from '../transport/localDatabase';
import { searchLocal } from './listSearch';

/** Local groups, by name, for the Groups option of Local User → Create (1 + one request per group). */
export async function getLocalGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchLocal.call(this, LOCAL_GROUPS);
	return results.map((r) => ({ name: r.name, value: r.value }));
}
