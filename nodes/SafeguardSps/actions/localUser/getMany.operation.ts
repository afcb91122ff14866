import { LOCAL_USERS } from '../../transport/localDatabase';
import { getManyOperation } from '../localDatabase';
import { LOCAL_USER_SIMPLE } from '../simplify';

/** GET /api/configuration/aaa/local_database/users + one GET per user (names; passwords are never readable). */
export const { description, execute } = getManyOperation(LOCAL_USERS, LOCAL_USER_SIMPLE);
