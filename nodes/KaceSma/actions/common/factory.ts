import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationModule } from '../../../shared/execute';
import { envelopeRows, kaceList, kaceRequest } from '../../transport';
import { ENTITIES } from './entities';
import { getOptionsFields, listQuery, listQueryFields, locatorId, recordLocator } from './fields';

/** "Get": one record by id (the appliance answers with the list envelope holding one row). */
export function getOperation(entityName: string): OperationModule {
	const entity = ENTITIES[entityName];
	const description: INodeProperties[] = [
		recordLocator(entity, { resource: [entity.resource], operation: ['get'] }),
		...getOptionsFields(entity.resource, entity.shaping ?? ''),
	];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
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
		return row;
	}
	return { description, execute };
}

/** "Get Many": a paged list with filters, shaping and sorting. */
export function getManyOperation(entityName: string, extra: INodeProperties[] = [], extraFilters?: (this: IExecuteFunctions, itemIndex: number) => string[]): OperationModule {
	const entity = ENTITIES[entityName];
	const description: INodeProperties[] = [...extra, ...listQueryFields(entity.resource)];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const { query, pageSize } = listQuery.call(this, itemIndex, extraFilters ? extraFilters.call(this, itemIndex) : []);
		if (!query.shaping && entity.shaping) query.shaping = entity.shaping;
		return await kaceList.call(this, entity.listPath, entity.key, query, {
			returnAll,
			limit,
			pageSize,
			operation: `get many ${entity.label} records`,
			itemIndex,
		});
	}
	return { description, execute };
}
