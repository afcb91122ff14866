import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getRunStatus } from './runner';

export const description: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4711 or {{ $json.runIds[0] }}',
		displayOptions: { show: { resource: ['script'], operation: ['getRunStatus'] } },
		description: 'ID returned by the Run operation',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const status = await getRunStatus.call(this, this.getNodeParameter('runId', itemIndex) as string, itemIndex);
	const toNumbers = (ids: string[]) => ids.map(Number);
	return {
		runId: Number(status.runId),
		scriptId: status.scriptId,
		done: status.done,
		perMachine: status.perMachine,
		counts: status.counts,
		targeted: toNumbers(status.targeted),
		pending: toNumbers(status.pending),
		success: toNumbers(status.success),
		failed: toNumbers(status.failed),
		pushFailed: toNumbers(status.pushFailed),
	};
}
