import { LOCAL_GROUPS } from '../../transport/localDatabase';
import { localResource } from '../localDatabase';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const { operations, description } = localResource(
	LOCAL_GROUPS,
	{ create, delete: del, get, getMany, update },
	{
		create: 'Create a local user group and commit',
		update: 'Add, remove or replace the members of a local group and commit',
		delete: 'Delete a local user group and commit',
	},
);
