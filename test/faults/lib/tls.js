'use strict';
/**
 * TLS material for the TLS cases: a truly self-signed server certificate (issuer = subject, as appliances ship
 * out of the box) and, from test/sim/certs.js, a private CA with a server certificate plus an unrelated CA.
 */
const crypto = require('node:crypto');
const forge = require('node-forge');
const { makePki } = require('../../sim/certs');

let selfSigned;

function makeSelfSigned() {
	if (selfSigned) return selfSigned;
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
	const key = forge.pki.privateKeyFromPem(keyPem);
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
	cert.serialNumber = '0badc0de';
	cert.validity.notBefore = new Date(Date.now() - 86_400_000);
	cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
	const subject = [{ name: 'commonName', value: '127.0.0.1' }, { name: 'organizationName', value: 'Appliance Self-Signed' }];
	cert.setSubject(subject);
	cert.setIssuer(subject);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: true },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
		{ name: 'extKeyUsage', serverAuth: true },
		{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
	]);
	cert.sign(key, forge.md.sha256.create());
	selfSigned = { keyPem, certPem: forge.pki.certificateToPem(cert) };
	return selfSigned;
}

module.exports = { makeSelfSigned, makePki };
