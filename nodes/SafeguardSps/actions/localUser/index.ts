import { LOCAL_USERS } from '../../transport/localDatabase';
import { localResource } from '../localDatabase';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const { operations, description } = localResource(
	LOCAL_USERS,
	{ create, delete: del, get, getMany, update },
	{
		create: 'Create a user of SPS’s local user database and commit',
		update: 'Change a local user’s password or name and commit',
		delete: 'Delete a local user (and its group memberships) and commit',
	},
);
