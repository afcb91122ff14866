import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../shared/execute';
import { vsaList } from '../transport/list';
import { resultObject, vsaRequest } from '../transport/request';
import type { Entity } from './common';
import { listFields, listQuery, locator, locatorId } from './common';

/** Get one record by id: GET {path}/{id}. */
export function getOperation(resource: string, entity: Entity, path: string, extra: string[] = []): OperationModule {
	const show = { resource: [resource], operation: ['get'] };
	return {
		description: [locator(entity, show)],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const id = locatorId.call(this, entity, itemIndex);
			const res = await vsaRequest.call(this, 'GET', `${path}/${id}${extra.join('')}`, {
				operation: `get ${entity.label} ${id}`,
				itemIndex,
			});
			return resultObject(res);
		},
	};
}

/** Get many records of a collection with Return All / Limit, raw $filter and $orderby. */
export function getManyOperation(
	resource: string,
	plural: string,
	path: string,
	idField: string,
	sortHint: string,
	extraDescription: INodeProperties[] = [],
	pathFor?: (this: IExecuteFunctions, itemIndex: number) => string,
): OperationModule {
	const show = { resource: [resource], operation: ['getMany'] };
	return {
		description: [...extraDescription, ...listFields(show, undefined, sortHint)],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const query = listQuery.call(this, itemIndex);
			const { rows } = await vsaList.call(this, pathFor ? pathFor.call(this, itemIndex) : path, {
				...query,
				idField,
				operation: `get many ${plural}`,
				itemIndex,
			});
			return rows;
		},
	};
}
