import { readOnlyResource } from '../common/resources';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const service = readOnlyResource('service', 'Get many services, e.g. those of one machine', { get, getMany });
