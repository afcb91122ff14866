import { ENTITIES, locator, locatorId } from '../common';
import { getManyOperation, withAgentId } from '../factory';

const show = { resource: ['agentProcedure'], operation: ['getHistory'] };

const op = getManyOperation({
	resource: 'agentProcedure',
	operation: 'getHistory',
	before: [locator(ENTITIES.agent, show)],
	plural(itemIndex) {
		return `get the procedure history of agent ${locatorId.call(this, ENTITIES.agent, itemIndex)}`;
	},
	path(itemIndex) {
		return `/automation/agentprocs/${locatorId.call(this, ENTITIES.agent, itemIndex)}/history`;
	},
	sortHint: 'e.g. LastExecutionTime desc',
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
