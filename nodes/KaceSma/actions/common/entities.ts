import type { IDataObject } from 'n8n-workflow';

import type { SimpleField } from '../../../shared/simplify';

/** The KACE SMA collections the node reads, with their routes and envelope keys (kace-sma.md §3). */
export interface KaceEntity {
	/** resource value in the node */
	resource: string;
	/** what a user calls one record */
	label: string;
	/** what a user calls several records */
	plural: string;
	/** list route */
	listPath: string;
	/** route of one record (without the id) */
	itemPath: string;
	/** envelope key of the list */
	key: string;
	/** text field used by the searchable pickers (`*`: any field, KACE's wildcard) */
	searchField: string;
	/** field the pickers sort by and show as the record name */
	nameField: string;
	/** the name a picker shows, when it is more than the name field */
	pickerName?: (row: IDataObject) => string | undefined;
	/** name of the resourceLocator parameter */
	idParam: string;
	/** default shaping for get/get many (undefined = appliance default) */
	shaping?: string;
	/** the flat record of Simplify: who, what, when, where, status */
	simple: SimpleField[];
	/** the console page of one record, for pickers "By URL" (`…/adminui/<page>?ID=1234`) */
	consolePage?: string;
}

const inventoryTimes: SimpleField[] = ['modified'];

export const ENTITIES: Record<string, KaceEntity> = {
	machine: {
		resource: 'machine',
		label: 'machine',
		plural: 'machines',
		listPath: '/api/inventory/machines',
		itemPath: '/api/inventory/machines',
		key: 'Machines',
		searchField: 'name',
		nameField: 'name',
		idParam: 'machineId',
		simple: ['id', 'name', 'os_name', 'ip', 'user_logged', 'last_inventory', 'last_sync', ...inventoryTimes],
		consolePage: 'machine.php',
	},
	software: {
		resource: 'software',
		label: 'software title',
		plural: 'software titles',
		listPath: '/api/inventory/softwares',
		itemPath: '/api/inventory/softwares',
		key: 'Software',
		searchField: 'display_name',
		nameField: 'display_name',
		idParam: 'softwareId',
		simple: ['id', { name: 'name', from: 'display_name' }, { name: 'version', from: 'display_version' }, 'publisher'],
		consolePage: 'software.php',
	},
	asset: {
		resource: 'asset',
		label: 'asset',
		plural: 'assets',
		listPath: '/api/asset/assets',
		itemPath: '/api/asset/assets',
		key: 'Assets',
		searchField: 'name',
		nameField: 'name',
		idParam: 'assetId',
		simple: [
			'id',
			'name',
			{ name: 'type', from: 'asset_type_name' },
			'asset_type_id',
			'asset_status_id',
			'owner_id',
			'location_id',
			{ name: 'machine_id', from: 'mapped_id' },
			'modified',
		],
		consolePage: 'asset.php',
	},
	operatingSystem: {
		resource: 'operatingSystem',
		label: 'operating system',
		plural: 'operating systems',
		listPath: '/api/inventory/operating_systems',
		itemPath: '/api/inventory/operating_systems',
		key: 'OperatingSystems',
		searchField: 'name',
		nameField: 'name',
		idParam: 'operatingSystemId',
		simple: ['id', 'name', 'version', 'architecture'],
	},
	managedInstall: {
		resource: 'managedInstall',
		label: 'managed install',
		plural: 'managed installs',
		listPath: '/api/managed_install/managed_installs',
		itemPath: '/api/managed_install/managed_installs',
		key: 'MIs',
		searchField: 'name',
		nameField: 'name',
		idParam: 'managedInstallId',
		simple: ['id', 'name', 'version', 'software_id', 'enabled', 'modified'],
		consolePage: 'mi.php',
	},
	script: {
		resource: 'script',
		label: 'script',
		plural: 'scripts',
		listPath: '/api/scripts',
		itemPath: '/api/script',
		key: 'Scripts',
		searchField: 'name',
		nameField: 'name',
		idParam: 'scriptId',
		simple: ['id', 'name', 'type', 'status', 'enabled', 'modified'],
		consolePage: 'kbot.php',
	},
	ticket: {
		resource: 'ticket',
		label: 'ticket',
		plural: 'tickets',
		listPath: '/api/service_desk/tickets',
		itemPath: '/api/service_desk/tickets',
		key: 'Tickets',
		searchField: 'title',
		nameField: 'title',
		idParam: 'ticketId',
		shaping: 'hd_ticket all,status limited,priority limited,category limited,impact limited,owner limited,submitter limited,machine limited',
		simple: [
			'id',
			'title',
			{ name: 'queue_id', from: 'hd_queue_id' },
			{ name: 'status', from: 'status.name' },
			{ name: 'priority', from: 'priority.name' },
			{ name: 'category', from: 'category.name' },
			{ name: 'owner', from: ['owner.full_name', 'owner.user_name'] },
			{ name: 'submitter', from: ['submitter.full_name', 'submitter.user_name'] },
			{ name: 'machine', from: 'machine.name' },
			'created',
			'modified',
		],
		consolePage: 'ticket.php',
	},
	queue: {
		resource: 'queue',
		label: 'queue',
		plural: 'queues',
		listPath: '/api/service_desk/queues',
		itemPath: '/api/service_desk/queues',
		key: 'Queues',
		searchField: 'name',
		nameField: 'name',
		idParam: 'queueId',
		simple: ['id', 'name', { name: 'email', from: 'alt_email_addr' }],
	},
	user: {
		resource: 'user',
		label: 'user',
		plural: 'users',
		listPath: '/api/users/users',
		itemPath: '/api/users/users',
		key: 'Users',
		// the wildcard matches the login name, the full name and the email address alike
		searchField: '*',
		nameField: 'full_name',
		pickerName: (row) => {
			const full = row.full_name ?? row.Full_name;
			const login = row.user_name ?? row.User_name;
			return full && login && full !== login ? `${String(full)} (${String(login)})` : String(full ?? login ?? '');
		},
		idParam: 'userId',
		simple: ['id', 'user_name', 'full_name', 'email', { name: 'role', from: 'role.name' }],
		consolePage: 'user.php',
	},
	process: {
		resource: 'process',
		label: 'process',
		plural: 'processes',
		listPath: '/api/inventory/processes',
		itemPath: '/api/inventory/processes',
		key: 'Processes',
		searchField: 'name',
		nameField: 'name',
		idParam: 'processId',
		simple: ['id', 'name', 'description'],
	},
	service: {
		resource: 'service',
		label: 'service',
		plural: 'services',
		listPath: '/api/inventory/services',
		itemPath: '/api/inventory/services',
		key: 'Services',
		searchField: 'name',
		nameField: 'name',
		idParam: 'serviceId',
		simple: ['id', 'name', 'display_name', 'startup_type'],
	},
	startupProgram: {
		resource: 'startupProgram',
		label: 'startup program',
		plural: 'startup programs',
		listPath: '/api/inventory/startup_programs',
		itemPath: '/api/inventory/startup_programs',
		key: 'StartupPrograms',
		searchField: 'name',
		nameField: 'name',
		idParam: 'startupProgramId',
		simple: ['id', 'name', 'command', 'location'],
	},
};
