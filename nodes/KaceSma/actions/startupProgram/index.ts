import { readOnlyResource } from '../common/resources';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const startupProgram = readOnlyResource('startupProgram', 'Get many startup programs, e.g. those of one machine', { get, getMany });
