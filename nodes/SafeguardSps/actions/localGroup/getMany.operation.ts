import { LOCAL_GROUPS } from '../../transport/localDatabase';
import { getManyOperation } from '../localDatabase';
import { LOCAL_GROUP_SIMPLE } from '../simplify';

/** GET /api/configuration/aaa/local_database/groups + one GET per group (name and members). */
export const { description, execute } = getManyOperation(LOCAL_GROUPS, LOCAL_GROUP_SIMPLE);
