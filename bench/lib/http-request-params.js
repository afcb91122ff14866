'use strict';
/** Parameters of n8n's HTTP Request node, shared by the in-process bench (bench/lib/n8n.js) and bench/cli.mjs. */

/**
 * HTTP Request pagination "Update a Parameter in Each Request" on a query parameter, complete when the
 * expression is true.
 */
function pagination(name, value, completeExpression) {
	return {
		pagination: {
			pagination: {
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name, value }] },
				paginationCompleteWhen: 'other',
				completeExpression,
			},
		},
	};
}

module.exports = { pagination };
