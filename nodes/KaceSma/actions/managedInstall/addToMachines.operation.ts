import { targetsOperation } from './targets';

export const { description, executeBatch } = targetsOperation('addToMachines');
