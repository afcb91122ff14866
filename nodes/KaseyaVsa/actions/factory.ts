import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../shared/execute';
import { simplifyProperties } from '../../shared/simplify';
import type { ListOptions } from '../transport/list';
import { vsaList } from '../transport/list';
import type { Feature } from '../transport/request';
import { resultObject, vsaRequest } from '../transport/request';
import type { Entity } from './common';
import { ENTITIES, listFields, listQuery, locator, locatorId } from './common';
import type { SimpleKind } from './simple';
import { simplified } from './simple';

/** Get one record by id: GET {path}/{id}. */
export function getOperation(
	resource: string,
	entity: Entity,
	path: string,
	kind: SimpleKind,
	options: { suffix?: string; feature?: Feature; operation?: string } = {},
): OperationModule {
	const show = { resource: [resource], operation: [options.operation ?? 'get'] };
	return {
		description: [locator(entity, show), ...simplifyProperties(show)],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const id = locatorId.call(this, entity, itemIndex);
			const res = await vsaRequest.call(this, 'GET', `${path}/${id}${options.suffix ?? ''}`, {
				operation: `get ${entity.label} ${id}`,
				itemIndex,
				feature: options.feature,
			});
			return simplified.call(this, itemIndex, [resultObject(res)], kind);
		},
	};
}

export interface GetManySpec {
	resource: string;
	/** "agents", for messages ("get many agents"), or the whole text for this item */
	plural: string | ((this: IExecuteFunctions, itemIndex: number) => string);
	path: string | ((this: IExecuteFunctions, itemIndex: number) => string);
	/** the records' id (exact paging, ListOptions.idField), or the fields that tell two records apart (default: the whole record) */
	key?: { idField: string } | { keyFields: string[] };
	sortHint: string;
	/** Simplify's field set; undefined: no Simplify (small flat records) */
	kind?: SimpleKind;
	operation?: string;
	/** parameters before Return All (the agent, the service desk…) */
	before?: INodeProperties[];
	feature?: Feature;
	notFoundHint?: string;
	/** adds fields to every row (e.g. the agent the rows belong to) */
	decorate?: (this: IExecuteFunctions, itemIndex: number, row: IDataObject) => IDataObject;
}

/** GetManySpec.decorate of the per-agent reads: the rows carry the id of the agent they belong to. */
export function withAgentId(this: IExecuteFunctions, itemIndex: number, row: IDataObject): IDataObject {
	return { AgentId: locatorId.call(this, ENTITIES.agent, itemIndex), ...row };
}

/**
 * Get many records of one agent (its procedure history, installed applications…): the agent picker, then Return All
 * / Limit on `route(agentId)`; `what` names the records in messages ("the patch history").
 */
export function perAgentOperation(
	spec: Omit<GetManySpec, 'before' | 'plural' | 'path'> & {
		operation: string;
		what: string;
		route: (agentId: string) => string;
	},
): OperationModule {
	const { what, route, ...rest } = spec;
	const agentId = function (this: IExecuteFunctions, itemIndex: number) {
		return locatorId.call(this, ENTITIES.agent, itemIndex);
	};
	return getManyOperation({
		...rest,
		before: [locator(ENTITIES.agent, { resource: [spec.resource], operation: [spec.operation] })],
		plural(itemIndex) {
			return `get ${what} of agent ${agentId.call(this, itemIndex)}`;
		},
		path(itemIndex) {
			return route(agentId.call(this, itemIndex));
		},
	});
}

/** Get many records of a collection with Return All / Limit, raw $filter and $orderby (and Simplify). */
export function getManyOperation(spec: GetManySpec): OperationModule {
	const show = { resource: [spec.resource], operation: [spec.operation ?? 'getMany'] };
	return {
		description: [...(spec.before ?? []), ...listFields(show, undefined, spec.sortHint), ...(spec.kind ? simplifyProperties(show) : [])],
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const query = listQuery.call(this, itemIndex);
			const path = typeof spec.path === 'function' ? spec.path.call(this, itemIndex) : spec.path;
			const { rows } = await vsaList.call(this, path, {
				...query,
				...((spec.key ?? {}) as Partial<ListOptions>),
				operation: typeof spec.plural === 'function' ? spec.plural.call(this, itemIndex) : `get many ${spec.plural}`,
				itemIndex,
				feature: spec.feature,
				notFoundHint: spec.notFoundHint,
			});
			const out = spec.decorate ? rows.map((row) => spec.decorate!.call(this, itemIndex, row)) : rows;
			return spec.kind ? simplified.call(this, itemIndex, out, spec.kind) : out;
		},
	};
}
