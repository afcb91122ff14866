import { ENTITIES, locator, locatorId } from '../common';
import { getManyOperation, withAgentId } from '../factory';

const show = { resource: ['agentProcedure'], operation: ['getScheduled'] };

const op = getManyOperation({
	resource: 'agentProcedure',
	operation: 'getScheduled',
	before: [locator(ENTITIES.agent, show)],
	plural(itemIndex) {
		return `get the scheduled procedures of agent ${locatorId.call(this, ENTITIES.agent, itemIndex)}`;
	},
	path(itemIndex) {
		return `/automation/agentprocs/${locatorId.call(this, ENTITIES.agent, itemIndex)}/scheduledprocs`;
	},
	sortHint: 'e.g. AgentProcedureId',
	kind: 'scheduledProcedure',
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
