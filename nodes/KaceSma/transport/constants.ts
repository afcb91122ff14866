export const KACE = 'KACE SMA';
export const LOGIN_PATH = '/ams/shared/api/security/login';
export const VERIFY_2FA_PATH = '/ams/shared/api/security/verify_2factor';
