import { readOnlyResource } from '../common/resources';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const software = readOnlyResource('software', 'Get many software titles, with filters', { get, getMany });
