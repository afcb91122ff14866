import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationModule } from '../../../shared/execute';
import { envelopeRows, kaceList, kaceRequest } from '../../transport';
import { ENTITIES } from './entities';
import { getOptionsFields, listQuery, listQueryFields, locatorId, recordLocator } from './fields';
import { simplified } from './simple';

/** "Get": one record by id (the appliance answers with the list envelope holding one row). */
export function getOperation(entityName: string): OperationModule {
	const entity = ENTITIES[entityName];
	const description: INodeProperties[] = [
		recordLocator(entity, { resource: [entity.resource], operation: ['get'] }),
		...getOptionsFields(entity.resource, entity.shaping ?? ''),
	];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const id = locatorId.call(this, entity, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const shaping = String(options.shaping ?? entity.shaping ?? '');
		const body = await kaceRequest.call(this, 'GET', `${entity.itemPath}/${id}`, {
			query: shaping ? { shaping } : undefined,
			operation: `get ${entity.label} ${id}`,
			itemIndex,
		});
		const row = envelopeRows(body, entity.key)[0];
		if (!row) {
			throw new NodeOperationError(this.getNode(), `KACE SMA has no ${entity.label} with ID ${id}`, {
				itemIndex,
				description: 'Check the ID, and that the credential logs in to the organization that holds it.',
			});
		}
		return simplified.call(this, itemIndex, [row], entity.simple);
	}
	return { description, execute };
}

/**
 * Reads a list for a get-many operation: Return All or Limit, the filter builder, raw filtering, shaping and
 * sorting of the item, `extraFilters` ANDed in front. Exact while the appliance changes (kaceList).
 */
export async function readList(
	this: IExecuteFunctions,
	itemIndex: number,
	list: { path: string; key: string; shaping?: string; operation: string; unverified?: string },
	extraFilters: string[] = [],
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const { query, pageSize } = listQuery.call(this, itemIndex, extraFilters);
	if (!query.shaping && list.shaping) query.shaping = list.shaping;
	return await kaceList.call(this, list.path, list.key, query, {
		returnAll,
		limit,
		pageSize,
		operation: list.operation,
		unverified: list.unverified,
		itemIndex,
	});
}

/** "Get Many": a paged list with filters, shaping and sorting. */
export function getManyOperation(
	entityName: string,
	extra: INodeProperties[] = [],
	extraFilters?: (this: IExecuteFunctions, itemIndex: number) => string[],
): OperationModule {
	const entity = ENTITIES[entityName];
	const description: INodeProperties[] = [...extra, ...listQueryFields(entity.resource)];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const rows = await readList.call(
			this,
			itemIndex,
			{ path: entity.listPath, key: entity.key, shaping: entity.shaping, operation: `get many ${entity.label} records` },
			extraFilters ? extraFilters.call(this, itemIndex) : [],
		);
		return simplified.call(this, itemIndex, rows, entity.simple);
	}
	return { description, execute };
}

/**
 * After a create the appliance answered with `{"IDs":[n]}` (tickets, assets, machine records): the new record as
 * the appliance stored it, read back; the answer itself when it names no id.
 */
export async function createdRecord(
	this: IExecuteFunctions,
	answer: IDataObject,
	entityName: string,
	itemIndex: number,
	shaping = ENTITIES[entityName].shaping,
): Promise<IDataObject> {
	const entity = ENTITIES[entityName];
	const id = Array.isArray(answer?.IDs) ? (answer.IDs as unknown[])[0] : undefined;
	if (id === undefined) return { result: answer };
	const read = await kaceRequest.call(this, 'GET', `${entity.itemPath}/${String(id)}`, {
		query: shaping ? { shaping } : undefined,
		operation: `read back ${entity.label} ${String(id)}`,
		itemIndex,
	});
	return envelopeRows(read, entity.key)[0] ?? { id };
}
