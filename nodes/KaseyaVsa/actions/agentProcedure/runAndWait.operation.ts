import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { executeRun, runDescription } from './run';

export const description: INodeProperties[] = runDescription('runAndWait');

export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await executeRun.call(this, itemIndexes, 'runAndWait');
}
