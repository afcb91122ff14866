import { perAgentOperation, withAgentId } from '../factory';

const op = perAgentOperation({
	resource: 'agentProcedure',
	operation: 'getScheduled',
	what: 'the scheduled procedures',
	route: (agentId) => `/automation/agentprocs/${agentId}/scheduledprocs`,
	sortHint: 'e.g. AgentProcedureId',
	kind: 'scheduledProcedure',
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
