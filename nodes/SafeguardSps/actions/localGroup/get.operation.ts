import { LOCAL_GROUPS } from '../../transport/localDatabase';
import { getOperation } from '../localDatabase';
import { LOCAL_GROUP_SIMPLE } from '../simplify';

/** GET /api/configuration/aaa/local_database/groups/<key>. */
export const { description, execute } = getOperation(LOCAL_GROUPS, LOCAL_GROUP_SIMPLE);
