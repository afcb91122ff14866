import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locator, locatorId, noteField } from '../common';

const show = { resource: ['agent'], operation: ['addNote'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	noteField(show, "The note, stored with the agent under the credential's VSA user"),
];

/** `POST /assetmgmt/agent/{agentId}/note` with the note as a bare JSON string (Kaseya's VSAModule); never sent twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const note = String(this.getNodeParameter('note', itemIndex, '') ?? '');
	if (!note.trim()) throw new NodeOperationError(this.getNode(), 'The note is empty', { itemIndex });
	const res = await vsaRequest.call(this, 'POST', `/assetmgmt/agent/${agentId}/note`, {
		body: JSON.stringify(note),
		operation: `add a note to agent ${agentId}`,
		idempotent: false,
		outcomeHint: "Check the agent's notes in VSA (Agent > Manage Agents, the agent's Notes) before adding the note again.",
		itemIndex,
		feature: FEATURES.agentNotes,
	});
	return { AgentId: agentId, note, added: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
