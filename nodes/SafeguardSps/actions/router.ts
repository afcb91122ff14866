import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationModule } from '../../shared/execute';
import { runOperation } from '../../shared/execute';
import * as activeSession from './activeSession';
import * as apiKey from './apiKey';
import * as auditSession from './auditSession';
import * as configuration from './configuration';
import * as localGroup from './localGroup';
import * as localUser from './localUser';
import * as system from './system';
import * as transaction from './transaction';

const resources: Record<string, { operations: Record<string, OperationModule> }> = {
	activeSession,
	apiKey,
	auditSession,
	configuration,
	localGroup,
	localUser,
	system,
	transaction,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.operations[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return await runOperation.call(this, op);
}
