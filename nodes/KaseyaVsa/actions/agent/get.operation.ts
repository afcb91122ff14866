import { ENTITIES } from '../common';
import { getOperation } from '../factory';

const op = getOperation('agent', ENTITIES.agent, '/assetmgmt/agents', 'agent');

export const description = op.description;
export const execute = op.execute!;
