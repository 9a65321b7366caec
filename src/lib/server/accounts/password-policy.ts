import { dictionary } from '@zxcvbn-ts/language-common';

/** Password length bounds: at least 12 characters, up to 128 (ASVS 2.1.1–2.1.2). */
export const minPasswordLength = 12;
export const maxPasswordLength = 128;

/** About 49,000 passwords seen in breaches (zxcvbn-ts's common list), compared without case. */
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Words of this platform that make a password easy to guess here. */
const contextWords = ['partnerskap', 'partnership', 'lokaldemokrati', 'localdemocracy'];

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'context';

/**
 * Length, a breach list and the platform's own name: no composition rules (NIST 800-63B,
 * ASVS 2.1). The password is checked exactly as typed: nothing trimmed, nothing cut off.
 */
export function passwordProblem(password: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < minPasswordLength) return 'tooShort';
	if (length > maxPasswordLength) return 'tooLong';
	if (common.has(password.toLowerCase())) return 'common';
	const letters = password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
	if (contextWords.some((w) => letters.includes(w)) || common.has(letters)) return 'context';
	return null;
}
