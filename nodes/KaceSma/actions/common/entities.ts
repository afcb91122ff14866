/** The KACE SMA collections the node reads, with their routes and envelope keys (kace-sma.md §3). */
export interface KaceEntity {
	/** resource value in the node */
	resource: string;
	/** what a user calls one record */
	label: string;
	/** list route */
	listPath: string;
	/** route of one record (without the id) */
	itemPath: string;
	/** envelope key of the list */
	key: string;
	/** text field used by the searchable pickers */
	searchField: string;
	/** field shown as the record name in pickers */
	nameField: string;
	/** name of the resourceLocator parameter */
	idParam: string;
	/** default shaping for get/get many (undefined = appliance default) */
	shaping?: string;
}

export const ENTITIES: Record<string, KaceEntity> = {
	machine: {
		resource: 'machine',
		label: 'machine',
		listPath: '/api/inventory/machines',
		itemPath: '/api/inventory/machines',
		key: 'Machines',
		searchField: 'name',
		nameField: 'name',
		idParam: 'machineId',
	},
	software: {
		resource: 'software',
		label: 'software',
		listPath: '/api/inventory/softwares',
		itemPath: '/api/inventory/softwares',
		key: 'Software',
		searchField: 'display_name',
		nameField: 'display_name',
		idParam: 'softwareId',
	},
	asset: {
		resource: 'asset',
		label: 'asset',
		listPath: '/api/asset/assets',
		itemPath: '/api/asset/assets',
		key: 'Assets',
		searchField: 'name',
		nameField: 'name',
		idParam: 'assetId',
	},
	operatingSystem: {
		resource: 'operatingSystem',
		label: 'operating system',
		listPath: '/api/inventory/operating_systems',
		itemPath: '/api/inventory/operating_systems',
		key: 'OperatingSystems',
		searchField: 'name',
		nameField: 'name',
		idParam: 'operatingSystemId',
	},
	managedInstall: {
		resource: 'managedInstall',
		label: 'managed install',
		listPath: '/api/managed_install/managed_installs',
		itemPath: '/api/managed_install/managed_installs',
		key: 'MIs',
		searchField: 'name',
		nameField: 'name',
		idParam: 'managedInstallId',
	},
	script: {
		resource: 'script',
		label: 'script',
		listPath: '/api/scripts',
		itemPath: '/api/script',
		key: 'Scripts',
		searchField: 'name',
		nameField: 'name',
		idParam: 'scriptId',
	},
	ticket: {
		resource: 'ticket',
		label: 'ticket',
		listPath: '/api/service_desk/tickets',
		itemPath: '/api/service_desk/tickets',
		key: 'Tickets',
		searchField: 'title',
		nameField: 'title',
		idParam: 'ticketId',
		shaping: 'hd_ticket all,status limited,priority limited,category limited,impact limited,owner limited,submitter limited,machine limited',
	},
	queue: {
		resource: 'queue',
		label: 'queue',
		listPath: '/api/service_desk/queues',
		itemPath: '/api/service_desk/queues',
		key: 'Queues',
		searchField: 'name',
		nameField: 'name',
		idParam: 'queueId',
	},
};
