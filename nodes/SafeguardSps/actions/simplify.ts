import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SimpleField } from '../../shared/simplify';
import { simplifyIfSet, simplifyProperties } from '../../shared/simplify';

/**
 * Simplify (n8n's convention, issue 12 item 9): per SPS entity the few flat fields that say who, what, when and
 * where, for Get and Get Many. On by default from node version 1.1; version 1 keeps the full record.
 */

/** A recorded or running session: who (user), from where to where (client → target), when, and its IDs. */
export const SESSION_SIMPLE: SimpleField[] = [
	'key',
	{ name: 'sessionId', from: 'recording.session_id' },
	'protocol',
	'active',
	{ name: 'start', from: ['start_time', 'creation_time'] },
	{ name: 'end', from: 'end_time' },
	{ name: 'user', from: ['user.name', 'user.gateway_username'] },
	{ name: 'gatewayUser', from: 'user.gateway_username' },
	{ name: 'serverUser', from: 'user.server_username' },
	{ name: 'clientIp', from: 'client.ip' },
	{ name: 'targetIp', from: ['recording.target.ip', 'server.ip'] },
	{ name: 'targetPort', from: ['recording.target.port', 'server.port'] },
	{ name: 'connectionPolicy', from: 'recording.connection_policy' },
	{ name: 'node', from: 'node_id' },
];

export const ALERT_SIMPLE: SimpleField[] = [
	'sessionKey',
	{ name: 'id', from: 'record_id' },
	'time',
	{ name: 'rule', from: 'rule_name' },
	{ name: 'type', from: 'alert_type' },
	{ name: 'matched', from: 'matched_content' },
	{ name: 'action', from: 'matched_action' },
];

/** An indexed event of a session, and a content-search hit (the same kind of record). */
export const EVENT_SIMPLE: SimpleField[] = [
	'sessionKey',
	{ name: 'id', from: 'record_id' },
	'time',
	'type',
	'action',
	'content',
	{ name: 'channel', from: ['channel_id', 'channels_id'] },
];

export const TRAIL_DOWNLOAD_SIMPLE: SimpleField[] = [
	'sessionKey',
	'time',
	{ name: 'user', from: 'username' },
	{ name: 'ip', from: 'ip_address' },
	{ name: 'fromApi', from: 'from_api' },
];

export const API_KEY_SIMPLE: SimpleField[] = ['key', 'name', { name: 'user', from: 'username' }, { name: 'loginMethod', from: 'login_method' }];

export const LOCAL_USER_SIMPLE: SimpleField[] = ['key', 'name', 'passwordSet'];

export const LOCAL_GROUP_SIMPLE: SimpleField[] = ['key', 'name', 'members'];

export const HEALTH_SIMPLE: SimpleField[] = [
	{ name: 'cpuPercent', from: 'percent.cpu' },
	{ name: 'memoryPercent', from: 'percent.memory' },
	{ name: 'diskPercent', from: 'percent.disk' },
	'load1',
	'load5',
	'load15',
	{ name: 'sessions', from: ['sessions_total', 'total_sessions'] },
];

export const INFO_SIMPLE: SimpleField[] = ['hostname', 'domainname', 'nickname', { name: 'firmwareVersion', from: 'firmware_version' }, 'version', 'roles'];

export const CURRENT_USER_SIMPLE: SimpleField[] = [
	{ name: 'user', from: 'user.name' },
	{ name: 'loginMethod', from: 'login_method.name' },
	{ name: 'authentication', from: 'login_method.authentication' },
	{ name: 'credential', from: 'login_method.credential' },
];

/** The Simplify parameter of one SPS operation (n8n's version-gated default: off on version 1, on from 1.1). */
export function simplifyFor(resource: string, operation: string | string[]): INodeProperties[] {
	return simplifyProperties({ resource: [resource], operation: Array.isArray(operation) ? operation : [operation] });
}

const ID_FIELD = /^(id|key)$|(Id|Key)$/;

/** Flat values: a list of plain values becomes one comma-separated string, ids become strings. */
function flat(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(record)) {
		if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) out[k] = v.join(', ');
		else if (ID_FIELD.test(k) && typeof v === 'number') out[k] = String(v);
		else out[k] = v;
	}
	return out;
}

/**
 * The rows as they go out: the entity's simple fields when the item's Simplify is on, else the full rows. Call it
 * before adding a warning to the output (warnInOutput), so the warning is on the first row either way.
 */
export function simplifyOut(this: IExecuteFunctions, itemIndex: number, rows: IDataObject[], fields: SimpleField[]): IDataObject[] {
	const out = simplifyIfSet.call(this, itemIndex, rows, fields);
	return out === rows ? rows : out.map(flat);
}
