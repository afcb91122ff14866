import { inventoryOfMachine } from '../common/machineFilter';

export const { description, execute } = inventoryOfMachine('startupProgram');
