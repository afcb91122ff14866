import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_FIELDS, SESSION_DATA_OPTIONS } from './actions/auditSession/search.operation';
import { versionedDefault } from './actions/common';
import type { HealthMetric, HealthScale } from './transport/health';
import { pollHealth, pollNewAlerts, pollNewSessions } from './trigger/events';

export class SafeguardSpsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Safeguard for Privileged Sessions Trigger',
		name: 'safeguardSpsTrigger',
		icon: { light: 'file:sps.svg', dark: 'file:sps.dark.svg' },
		group: ['trigger'],
		// 1.1: New Recorded Session returns Selected Fields by default (version 1: Full Record)
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow on new recorded sessions, new session alerts or health thresholds in SPS',
		defaults: { name: 'SPS Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'safeguardSpsApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Health Threshold Crossed',
						value: 'healthThreshold',
						description: 'CPU, disk or memory use rose above a percentage',
					},
					{
						name: 'New Alert',
						value: 'newAlert',
						description:
							'A content-policy alert was raised in a session, also in one that has been running for hours. Each poll reads the alerts of every session started since the previous poll, running now or running at the previous poll: 2 + one request per such session.',
					},
					{
						name: 'New Recorded Session',
						value: 'newSession',
						description: 'SPS started recording a new session',
					},
				],
				default: 'newSession',
			},
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'protocol:SSH',
				description: 'Optional SPS search expression (q) to limit which sessions are watched',
				displayOptions: { show: { event: ['newSession', 'newAlert'] } },
			},
			// Selected Fields by default from version 1.1, as in Audit Session → Search (when, who and where without a
			// request per session); version 1 kept Full Record
			...versionedDefault(
				{
					displayName: 'Session Data',
					name: 'sessionData',
					type: 'options',
					options: SESSION_DATA_OPTIONS,
					default: 'fields',
					displayOptions: { show: { event: ['newSession'] } },
				},
				'full',
				'fields',
			),
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'string',
				default: DEFAULT_FIELDS,
				description: 'Comma-separated session fields (dotted paths)',
				displayOptions: { show: { event: ['newSession'], sessionData: ['fields'] } },
			},
			{
				displayName: 'Metrics',
				name: 'metrics',
				type: 'multiOptions',
				options: [
					{ name: 'CPU', value: 'cpu' },
					{ name: 'Disk', value: 'disk' },
					{ name: 'Memory', value: 'memory' },
				],
				default: ['cpu', 'disk', 'memory'],
				displayOptions: { show: { event: ['healthThreshold'] } },
			},
			{
				displayName: 'Threshold (%)',
				name: 'thresholdPercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 90,
				description: 'Emit when a metric rises above this percentage (once per crossing, not on every poll)',
				displayOptions: { show: { event: ['healthThreshold'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Also Emit When Back to Normal',
						name: 'emitRecovery',
						type: 'boolean',
						default: false,
						description: 'Whether to emit an event when a metric falls back to or below the threshold (health event)',
					},
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 32 },
						default: 8,
						description: 'How many requests to SPS may run at the same time (session bodies, alerts)',
					},
					{
						displayName: 'Health Value Scale',
						name: 'scale',
						type: 'options',
						options: [
							{ name: 'Auto (≤ 1 Is a Ratio)', value: 'auto' },
							{ name: 'Percent (0–100)', value: 'percent' },
							{ name: 'Ratio (0–1)', value: 'ratio' },
						],
						default: 'auto',
						description: 'How this SPS reports cpu/memory/disk in /api/health_status (health event)',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'Re-read this many minutes before the previous poll, for sessions or alerts SPS stores late (duplicates are removed)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const state = ((staticData[event] as IDataObject | undefined) ?? {}) as IDataObject;
		if (!manual) staticData[event] = state;
		const concurrency = (options.concurrency as number) ?? 8;
		const overlapMinutes = (options.overlapMinutes as number) ?? 10;

		if (event === 'healthThreshold') {
			return await pollHealth.call(
				this,
				state,
				{
					metrics: this.getNodeParameter('metrics', []) as HealthMetric[],
					thresholdPercent: this.getNodeParameter('thresholdPercent', 90) as number,
					scale: ((options.scale as HealthScale) ?? 'auto') as HealthScale,
					emitRecovery: options.emitRecovery === true,
				},
				manual,
			);
		}
		if (event === 'newAlert') {
			return await pollNewAlerts.call(
				this,
				state,
				{
					query: String(this.getNodeParameter('query', '') ?? '').trim(),
					overlapMinutes,
					concurrency,
				},
				manual,
			);
		}
		return await pollNewSessions.call(
			this,
			state,
			{
				query: String(this.getNodeParameter('query', '') ?? '').trim(),
				// the fallback is version 1's default: every version fills its own default in
				sessionData: this.getNodeParameter('sessionData', 'full') as 'full' | 'fields' | 'key',
				fields: String(this.getNodeParameter('fields', DEFAULT_FIELDS) ?? ''),
				overlapMinutes,
				concurrency,
			},
			manual,
		);
	}
}
