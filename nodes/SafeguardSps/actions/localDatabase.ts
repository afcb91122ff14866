import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllOrLimit } from '../../shared/descriptions';
import type { OperationModule } from '../../shared/execute';
import type { ResourceDefinition } from '../../shared/resource';
import { defineResource } from '../../shared/resource';
import type { SimpleField } from '../../shared/simplify';
import type { LocalEntity } from '../transport/localDatabase';
import { getLocal, listLocal, localRow } from '../transport/localDatabase';
import { spsRequest } from '../transport/request';
import { changeConfiguration } from '../transport/transaction';
import { autoCommitProperty, concurrencyOption, locator, locatorValue, optionsProperty, showFor, wanted } from './common';
import { simplifyFor, simplifyOut } from './simplify';

/**
 * The operations local users and local groups share (Get Many, Get, Delete), built from the entity table in
 * transport/localDatabase.ts; Create and Update differ and have their own files.
 */

const title = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

/**
 * A local-database resource: its five operations, with the Operation selector (Get Many by default). `change` says
 * what Update and Delete do to that kind of entry.
 */
export function localResource(
	entity: LocalEntity,
	operations: Record<'create' | 'delete' | 'get' | 'getMany' | 'update', OperationModule>,
	change: { create: string; update: string; delete: string },
): ResourceDefinition {
	const noun = entity.noun;
	const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
	return defineResource(
		entity.resource,
		[
			{ name: 'Create', value: 'create', action: `Create ${article} ${noun}`, description: change.create },
			{ name: 'Delete', value: 'delete', action: `Delete ${article} ${noun}`, description: change.delete },
			{ name: 'Get', value: 'get', action: `Get ${article} ${noun}`, description: `Get one ${noun}` },
			{ name: 'Get Many', value: 'getMany', action: `Get many ${entity.plural}`, description: `List the ${entity.plural}` },
			{ name: 'Update', value: 'update', action: `Update ${article} ${noun}`, description: change.update },
		],
		operations,
		'getMany',
	);
}

export function entityLocator(entity: LocalEntity, operation: string): INodeProperties {
	return locator({
		displayName: title(entity.noun.replace(/^local /, '')),
		name: entity.param,
		description: `The ${entity.noun}: pick it by name, or give its key`,
		show: showFor(entity.resource, operation),
		search: entity.search,
		placeholder: `e.g. ${entity.example}`,
		idPattern: { regex: '^\\s*[^/\\s?#]+\\s*$', errorMessage: `The key of one ${entity.noun} (no "/")` },
	});
}

export function entityKey(this: IExecuteFunctions, entity: LocalEntity, itemIndex: number): string {
	const key = locatorValue.call(this, entity.param, itemIndex);
	if (!key || key.includes('/')) throw new NodeOperationError(this.getNode(), `Choose the ${entity.noun}, or give its key`, { itemIndex });
	return key;
}

/** Get Many: GET <list> + one GET per entry (SPS lists key + link only), up to Return All / Limit. */
export function getManyOperation(entity: LocalEntity, simple: SimpleField[]) {
	const description: INodeProperties[] = [
		...returnAllOrLimit(entity.resource, 'getMany'),
		...simplifyFor(entity.resource, 'getMany'),
		optionsProperty(showFor(entity.resource, 'getMany'), [concurrencyOption]),
	];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const entries = await listLocal.call(this, entity, wanted.call(this, itemIndex), (options.concurrency as number) ?? 8, itemIndex);
		return simplifyOut.call(this, itemIndex, entries.map(localRow), simple);
	}
	return { description, execute };
}

/** Get: GET <list>/<key>. */
export function getOperation(entity: LocalEntity, simple: SimpleField[]) {
	const description: INodeProperties[] = [entityLocator(entity, 'get'), ...simplifyFor(entity.resource, 'get')];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
		const res = await getLocal.call(this, entity, entityKey.call(this, entity, itemIndex), itemIndex);
		return simplifyOut.call(this, itemIndex, [localRow(res)], simple);
	}
	return { description, execute };
}

/**
 * Delete: (GET the entry for its name) → DELETE <list>/<key> (+ `after`, e.g. the user's memberships) in one
 * transaction with Auto-Commit.
 */
export function deleteOperation(
	entity: LocalEntity,
	extra: INodeProperties[] = [],
	after?: (this: IExecuteFunctions, name: string, itemIndex: number) => Promise<IDataObject>,
) {
	const description: INodeProperties[] = [entityLocator(entity, 'delete'), ...extra, autoCommitProperty(entity.resource, 'delete')];
	async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
		const key = entityKey.call(this, entity, itemIndex);
		const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
		return await changeConfiguration.call(this, itemIndex, { what: `deleting the ${entity.noun} ${key}`, autoCommit }, async () => {
			const current = await getLocal.call(this, entity, key, itemIndex);
			const name = String(((current.body ?? {}) as IDataObject).name ?? key);
			await spsRequest.call(this, {
				method: 'DELETE',
				path: `${entity.path}/${encodeURIComponent(key)}`,
				operation: `delete the ${entity.noun} ${name}`,
				idempotent: false,
				outcomeHint: 'Check Transaction → Get Changes before retrying.',
				itemIndex,
			});
			return { key, name, deleted: true, ...(after ? await after.call(this, name, itemIndex) : {}) };
		});
	}
	return { description, execute };
}
