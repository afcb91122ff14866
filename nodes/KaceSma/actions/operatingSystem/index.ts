import { readOnlyResource } from '../common/resources';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operatingSystem = readOnlyResource('operatingSystem', 'Get many operating systems, with filters', { get, getMany });
