import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function cleanBase32(secret: string): string {
	return secret.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
}

export function isBase32(secret: string): boolean {
	const clean = cleanBase32(secret);
	return clean.length > 0 && !/[^A-Z2-7]/.test(clean);
}

/** Decodes an RFC 4648 base32 secret as shown by authenticator set-up screens (spaces, dashes, case ignored). */
export function base32Decode(secret: string): Buffer {
	const clean = cleanBase32(secret);
	if (!isBase32(secret)) {
		throw new Error('The TOTP secret is not valid base32 (letters A-Z and digits 2-7, as shown when 2FA was set up)');
	}
	let bits = 0;
	let value = 0;
	const out: number[] = [];
	for (const ch of clean) {
		value = (value << 5) | BASE32.indexOf(ch);
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s steps) for the given time in milliseconds. */
export function totp(secret: string | Buffer, timeMs: number, digits = 6, stepSeconds = 30): string {
	const key = typeof secret === 'string' ? base32Decode(secret) : secret;
	const counter = Math.floor(timeMs / 1000 / stepSeconds);
	const msg = Buffer.alloc(8);
	msg.writeUInt32BE(Math.floor(counter / 0x100000000), 0);
	msg.writeUInt32BE(counter >>> 0, 4);
	const hmac = createHmac('sha1', key).update(msg).digest();
	const offset = hmac[hmac.length - 1] & 0x0f;
	const binary =
		((hmac[offset] & 0x7f) << 24) | (hmac[offset + 1] << 16) | (hmac[offset + 2] << 8) | hmac[offset + 3];
	return String(binary % 10 ** digits).padStart(digits, '0');
}
