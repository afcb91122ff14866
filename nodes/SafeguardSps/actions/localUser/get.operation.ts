import { LOCAL_USERS } from '../../transport/localDatabase';
import { getOperation } from '../localDatabase';
import { LOCAL_USER_SIMPLE } from '../simplify';

/** GET /api/configuration/aaa/local_database/users/<key>. */
export const { description, execute } = getOperation(LOCAL_USERS, LOCAL_USER_SIMPLE);
