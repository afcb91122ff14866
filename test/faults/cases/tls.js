'use strict';
/**
 * TLS: a self-signed appliance fails by default with a message pointing at the CA field; the CA field makes it
 * work WITHOUT disabling verification (a certificate from another CA still fails).
 */
const { forAll } = require('./common');
const { makeSelfSigned, makePki } = require('../lib/tls');
const { verdict, errorText } = require('../lib/verdict');

const CA_HINT = /CA certificate/i; // the field is 'CA Certificate (PEM)'
/** n8n 1.x's httpRequest drops agentOptions: the CA (and client-certificate) fields cannot apply there (README). */
const N8N1_NO_AGENT_OPTIONS = "n8n 1.x's httpRequest ignores agentOptions, so the CA field cannot apply (documented limitation)";

module.exports = [
	...forAll((a) => ({
		id: 'tls-self-signed-default',
		title: 'appliance with a self-signed certificate, credential without CA',
		expected: 'fails: "certificate could not be verified", pointing at the CA Certificate field; nothing reached the appliance',
		async run(ctx) {
			const { keyPem, certPem } = makeSelfSigned();
			const sim = await ctx.sim({ tls: { key: keyPem, cert: certPem } });
			const r = await ctx.run(ctx.engine(sim), a.read.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!r.error, 'fails');
			v.match(text, /certificate/i, 'says the certificate could not be verified');
			v.match(text, CA_HINT, 'points at the CA Certificate field');
			v.match(text, a.name, 'names the appliance');
			v.eq(sim.requests.length, 0, 'requests that reached the appliance');
			return v.done(`"${text}"`);
		},
	})),
	...forAll((a) => ({
		id: 'tls-self-signed-ca-field',
		title: "the appliance's self-signed certificate pasted into the CA field (Ignore SSL Issues off)",
		limitationOnN8n1: N8N1_NO_AGENT_OPTIONS,
		expected: 'works, with verification on',
		async run(ctx) {
			const { keyPem, certPem } = makeSelfSigned();
			const sim = await ctx.sim({ tls: { key: keyPem, cert: certPem } });
			const r = await ctx.run(ctx.engine(sim, { caCertificate: certPem, allowUnauthorizedCerts: false }), a.read.params);
			return { r };
		},
		expect({ r }) {
			const v = verdict();
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq((r.items || []).length, a.read.count, 'rows');
			return v.done(`${(r.items || []).length} rows`);
		},
	})),
	...forAll((a) => ({
		id: 'tls-ca-field-keeps-verification',
		title: 'appliance certificate from a private CA: the right CA works, an unrelated CA is still refused',
		limitationOnN8n1: N8N1_NO_AGENT_OPTIONS,
		expected: 'right CA: rows; unrelated CA: fails with the CA-field message (verification stays on); single-line pasted PEM works',
		async run(ctx) {
			const pki = makePki();
			const sim = await ctx.sim({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
			const right = await ctx.run(ctx.engine(sim, { caCertificate: pki.caPem }), a.read.params);
			const wrong = await ctx.run(ctx.engine(sim, { caCertificate: pki.otherCaPem }), a.read.params);
			// pasted into a single-line input: the newlines are gone
			const oneLine = await ctx.run(ctx.engine(sim, { caCertificate: pki.caPem.replace(/\r?\n/g, ' ') }), a.read.params);
			return { right, wrong, oneLine };
		},
		expect({ right, wrong, oneLine }) {
			const v = verdict();
			v.ok(!right.error, `right CA works (${errorText(right)})`);
			v.eq((right.items || []).length, a.read.count, 'rows');
			v.ok(!!wrong.error, 'unrelated CA fails');
			v.match(errorText(wrong), CA_HINT, 'unrelated CA: points at the CA field');
			v.ok(!oneLine.error, `single-line PEM works (${errorText(oneLine)})`);
			return v.done(`right CA: ${(right.items || []).length} rows; unrelated CA: "${wrong.error && wrong.error.message}"; one-line PEM: ${oneLine.error ? 'fails' : 'works'}`);
		},
	})),
	...forAll((a) => ({
		id: 'tls-self-signed-credential-test',
		title: 'credential test (Test button) against a self-signed appliance, credential without CA',
		expected: 'the test fails with a message saying the certificate could not be verified and pointing at the CA Certificate field',
		serial: true,
		async run(ctx) {
			const { keyPem, certPem } = makeSelfSigned();
			const sim = await ctx.sim({ tls: { key: keyPem, cert: certPem } });
			const without = await ctx.testCredential(ctx.engine(sim));
			return { without };
		},
		expect({ without }) {
			const v = verdict();
			const text = `${without.message ?? ''} | ${without.error?.description ?? ''}`;
			v.eq(without.status, 'Error', 'status');
			v.match(text, /certificate/i, 'says the certificate could not be verified');
			v.match(text, CA_HINT, 'points at the CA Certificate field');
			return v.done(`${without.status} "${text}"`);
		},
	})),
	...forAll((a) => ({
		id: 'tls-credential-test-with-ca-field',
		title: "credential test against a self-signed appliance with its certificate in the CA field",
		expected: 'OK (verification on)',
		serial: true,
		limitationOnN8n1: N8N1_NO_AGENT_OPTIONS,
		async run(ctx) {
			const { keyPem, certPem } = makeSelfSigned();
			const sim = await ctx.sim({ tls: { key: keyPem, cert: certPem } });
			return { withCa: await ctx.testCredential(ctx.engine(sim, { caCertificate: certPem, allowUnauthorizedCerts: false })) };
		},
		expect({ withCa }) {
			const v = verdict();
			v.eq(withCa.status, 'OK', `status (${withCa.message})`);
			return v.done(`${withCa.status}`);
		},
	})),
];
