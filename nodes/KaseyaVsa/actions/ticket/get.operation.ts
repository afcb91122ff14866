import { ENTITIES, FEATURES } from '../common';
import { getOperation } from '../factory';

const op = getOperation('ticket', ENTITIES.ticket, '/automation/servicedesktickets', 'ticket', { feature: FEATURES.serviceDesk });

export const description = op.description;
export const execute = op.execute!;
