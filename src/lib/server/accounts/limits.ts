/** Password length bounds: at least 12 characters, up to 128 (ASVS 2.1.1–2.1.2). */
export const minPasswordLength = 12;
export const maxPasswordLength = 128;
