'use strict';
/**
 * Test PKI for the SPS simulator: a private CA (as SPS uses its own CA for the web certificate), a server
 * certificate for 127.0.0.1/localhost, a client certificate for X.509 login (plain and passphrase-protected key),
 * and an unrelated CA plus a client certificate from it (for "wrong CA" cases).
 *
 * Keys come from node:crypto (fast); certificates are built and signed with node-forge. Generated once per test
 * process (cached).
 */
const crypto = require('node:crypto');
const forge = require('node-forge');

let cached;

function rsaKey() {
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
	const forgeKey = forge.pki.privateKeyFromPem(pem);
	const forgePublic = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
	return { pem, nodeKey: privateKey, forgeKey, forgePublic };
}

let serial = 0x1000;
function nextSerial() {
	serial += 1;
	// DER INTEGER: no leading zero byte, first byte < 0x80 (0x1001… is positive and minimal)
	return serial.toString(16);
}

function makeCert({ subjectCN, issuer, key, isCa = false, altNames, clientAuth = false, serverAuth = false, days = 365 }) {
	const cert = forge.pki.createCertificate();
	cert.publicKey = key.forgePublic;
	cert.serialNumber = nextSerial();
	const now = new Date();
	cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
	cert.validity.notAfter = new Date(now.getTime() + days * 24 * 3600 * 1000);
	const subject = [{ name: 'commonName', value: subjectCN }, { name: 'organizationName', value: 'SPS Simulator Test' }];
	cert.setSubject(subject);
	cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
	const extensions = [
		{ name: 'basicConstraints', cA: isCa, critical: isCa },
		isCa
			? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
			: { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
	];
	if (!isCa) extensions.push({ name: 'extKeyUsage', serverAuth, clientAuth });
	if (altNames) extensions.push({ name: 'subjectAltName', altNames });
	cert.setExtensions(extensions);
	cert.sign(issuer ? issuer.key.forgeKey : key.forgeKey, forge.md.sha256.create());
	return { cert, pem: forge.pki.certificateToPem(cert), key };
}

/**
 * Returns { caPem, serverKeyPem, serverCertPem, clientKeyPem, clientCertPem, clientCN, encryptedClientKeyPem,
 *   passphrase, otherCaPem, otherClientKeyPem, otherClientCertPem }.
 */
function makePki() {
	if (cached) return cached;
	const caKey = rsaKey();
	const ca = makeCert({ subjectCN: 'SPS Simulator Test CA', key: caKey, isCa: true, days: 3650 });
	const serverKey = rsaKey();
	const server = makeCert({
		subjectCN: 'localhost',
		issuer: ca,
		key: serverKey,
		serverAuth: true,
		altNames: [
			{ type: 7, ip: '127.0.0.1' },
			{ type: 2, value: 'localhost' },
		],
	});
	const clientKey = rsaKey();
	const clientCN = 'n8n-automation';
	const client = makeCert({ subjectCN: clientCN, issuer: ca, key: clientKey, clientAuth: true });
	const passphrase = 'Pem-Passphrase-4711';
	const encryptedClientKeyPem = clientKey.nodeKey.export({
		type: 'pkcs8',
		format: 'pem',
		cipher: 'aes-256-cbc',
		passphrase,
	});

	const otherCaKey = rsaKey();
	const otherCa = makeCert({ subjectCN: 'Unrelated Test CA', key: otherCaKey, isCa: true, days: 3650 });
	const otherClientKey = rsaKey();
	const otherClient = makeCert({ subjectCN: clientCN, issuer: otherCa, key: otherClientKey, clientAuth: true });

	cached = {
		caPem: ca.pem,
		serverKeyPem: serverKey.pem,
		serverCertPem: server.pem,
		clientKeyPem: clientKey.pem,
		clientCertPem: client.pem,
		clientCN,
		encryptedClientKeyPem,
		passphrase,
		otherCaPem: otherCa.pem,
		otherClientKeyPem: otherClientKey.pem,
		otherClientCertPem: otherClient.pem,
	};
	return cached;
}

module.exports = { makePki };
