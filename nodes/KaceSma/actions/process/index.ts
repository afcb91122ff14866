import { readOnlyResource } from '../common/resources';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const inventoryProcess = readOnlyResource('process', 'Get many processes, e.g. those seen on one machine', { get, getMany });
