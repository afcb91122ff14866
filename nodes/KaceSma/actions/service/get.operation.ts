import { getOperation } from '../common/factory';

export const { description, execute } = getOperation('service');
