import { getManyOperation } from '../common/factory';

export const { description, execute } = getManyOperation('user');
