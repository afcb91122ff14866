import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult, OperationModule } from '../../../shared/execute';
import { chunk } from '../../../shared/execute';
import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { parseIdList } from '../common/ids';
import { asSummaryIfSet, outputProperty, union } from '../common/summary';

/**
 * Ids per request. The appliance documents no limit for the JSON body; this only bounds the body size
 * (~1 MB) for pathological inputs. 5,000 machines are one request.
 */
export const MAX_MACHINES_PER_REQUEST = 100_000;

/**
 * Add to / remove from machines. All input items that target the same managed install are folded into ONE
 * PUT (…/add_to_machines {"Machines":[ids]}), because a managed-install change is an action: it is never
 * retried once it may have reached the appliance.
 */
export function targetsOperation(operation: 'addToMachines' | 'removeFromMachines'): OperationModule {
	const route = operation === 'addToMachines' ? 'add_to_machines' : 'remove_from_machines';
	const verb = operation === 'addToMachines' ? 'add machines to' : 'remove machines from';
	const show = { resource: ['managedInstall'], operation: [operation] };
	const description: INodeProperties[] = [
		recordLocator(ENTITIES.managedInstall, show),
		{
			displayName: 'Machine IDs',
			name: 'machineIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 12, 34 or {{ $json.ID }}',
			displayOptions: { show },
			description: 'Machines to target, separated by commas. Map it from the input (e.g. {{ $JSON.ID }}): all items for the same managed install are sent in one request.',
		},
		outputProperty('managedInstall', operation),
	];

	async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
		const results: ItemResult[] = [];
		const groups = new Map<string, { items: Array<{ itemIndex: number; ids: string[] }>; ids: Set<string> }>();
		for (const itemIndex of itemIndexes) {
			try {
				const miId = locatorId.call(this, ENTITIES.managedInstall, itemIndex);
				const ids = parseIdList.call(this, this.getNodeParameter('machineIds', itemIndex), 'machine', itemIndex);
				const group = groups.get(miId) ?? { items: [], ids: new Set<string>() };
				group.items.push({ itemIndex, ids });
				ids.forEach((id) => group.ids.add(id));
				groups.set(miId, group);
			} catch (error) {
				results.push({ itemIndex, error });
			}
		}
		for (const [miId, group] of groups) {
			const all = [...group.ids];
			const parts = chunk(all, MAX_MACHINES_PER_REQUEST);
			const responses: IDataObject[] = [];
			try {
				for (const [n, part] of parts.entries()) {
					const answer = await kaceRequest.call(this, 'PUT', `/api/managed_install/managed_installs/${miId}/${route}`, {
						body: { Machines: part.map(Number) },
						operation: `${verb} managed install ${miId}${parts.length > 1 ? ` (part ${n + 1} of ${parts.length})` : ''}`,
						idempotent: false,
						outcomeHint: `Open managed install ${miId} in the KACE console and check its targeted machines before running again.`,
						itemIndex: group.items[0].itemIndex,
					});
					responses.push((answer ?? {}) as IDataObject);
				}
				for (const { itemIndex, ids } of group.items) {
					results.push({
						itemIndex,
						json: {
							managedInstallId: Number(miId),
							operation: route,
							machineIds: ids.map(Number),
							machinesInRequest: all.length,
							requests: parts.length,
							responses,
						},
					});
				}
			} catch (error) {
				for (const { itemIndex } of group.items) results.push({ itemIndex, error });
			}
		}
		return asSummaryIfSet.call(this, itemIndexes, results, (ok) => {
			const byMi = new Map<number, IDataObject[]>();
			for (const r of ok) {
				const json = r.json as IDataObject;
				const id = Number(json.managedInstallId);
				byMi.set(id, [...(byMi.get(id) ?? []), json]);
			}
			const managedInstalls = [...byMi].map(([managedInstallId, rows]) => ({
				managedInstallId,
				machineIds: union(rows.map((j) => j.machineIds as number[])),
				requests: rows[0].requests,
				responses: rows[0].responses,
			}));
			return { operation: route, machineIds: union(managedInstalls.map((m) => m.machineIds)), managedInstalls };
		});
	}
	return { description, executeBatch };
}
