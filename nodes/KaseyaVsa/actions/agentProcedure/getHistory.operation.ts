import { perAgentOperation, withAgentId } from '../factory';

const op = perAgentOperation({
	resource: 'agentProcedure',
	operation: 'getHistory',
	what: 'the procedure history',
	route: (agentId) => `/automation/agentprocs/${agentId}/history`,
	sortHint: 'e.g. LastExecutionTime desc',
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
