import type { OperationModule } from '../../../shared/execute';
import type { ResourceDefinition } from '../../../shared/resource';
import { defineResource } from '../../../shared/resource';
import { ENTITIES } from './entities';

/** "a machine", "an asset", "a user" */
export function withArticle(noun: string): string {
	return `${/^[aeio]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** A resource that is only read: Get (by ID) and Get Many, worded from the entity ("Get an operating system"). */
export function readOnlyResource(entityName: string, manyDescription: string, operations: { get: OperationModule; getMany: OperationModule }): ResourceDefinition {
	const entity = ENTITIES[entityName];
	const one = withArticle(entity.label);
	return defineResource(
		entity.resource,
		[
			{ name: 'Get', value: 'get', description: `Get ${one} by ID`, action: `Get ${one}` },
			{ name: 'Get Many', value: 'getMany', description: manyDescription, action: `Get many ${entity.plural}` },
		],
		operations,
		'getMany',
	);
}
