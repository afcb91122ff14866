import { LOCAL_GROUPS } from '../../transport/localDatabase';
import { deleteOperation } from '../localDatabase';

/**
 * Deletes a local group and commits. SPS's access-control lists name groups (and are read-only over REST): a
 * group they still name loses its privileges with it.
 */
export const { description, execute } = deleteOperation(LOCAL_GROUPS);
