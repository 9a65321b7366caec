import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.ts';

describe('the password policy', () => {
	it('asks for length only, counted in characters, not bytes', () => {
		expect(passwordProblem('a'.repeat(11))).toBe('tooShort');
		expect(passwordProblem('åäöåäöåäöåäö')).toBe(null);
		expect(passwordProblem('x'.repeat(128))).toBe(null);
		expect(passwordProblem('x'.repeat(129))).toBe('tooLong');
		// No composition rules: lowercase words with spaces are fine.
		expect(passwordProblem('blå cykel under äppelträdet')).toBe(null);
	});

	it('refuses passwords from the breach list and the platform name', () => {
		expect(passwordProblem('password1234')).toBe('common');
		expect(passwordProblem('PASSWORD1234')).toBe('common');
		expect(passwordProblem('qwertyuiop123')).toBe('common');
		expect(passwordProblem('Partnerskap2026!')).toBe('context');
		expect(passwordProblem('lokal demokrati 1')).toBe('context');
	});
});
