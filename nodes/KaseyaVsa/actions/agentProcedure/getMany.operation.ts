import { getManyOperation } from '../factory';

const op = getManyOperation({
	resource: 'agentProcedure',
	plural: 'agent procedures',
	path: '/automation/agentprocs',
	key: { idField: 'AgentProcedureId' },
	sortHint: 'e.g. AgentProcedureName',
	kind: 'procedure',
});

export const description = op.description;
export const execute = op.execute!;
