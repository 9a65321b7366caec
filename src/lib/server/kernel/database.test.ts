import { describe, expect, it } from 'vitest';
import { databaseUnavailable } from './database.ts';
import { ValidationError } from './errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('telling an unavailable database from a fault', () => {
	it('takes a lost, refused, silent or shutting-down database as unavailable (503), also when wrapped', () => {
		for (const e of [
			withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
			withCode('terminating connection due to administrator command', '57P01'),
			withCode('the database system is starting up', '57P03'),
			withCode('canceling statement due to statement timeout', '57014'),
			withCode('connection failure', '08006'),
			new Error('timeout exceeded when trying to connect'),
			new Error('Connection terminated unexpectedly'),
			new Error('Failed query: select 1', { cause: withCode('read ECONNRESET', 'ECONNRESET') })
		]) {
			expect(databaseUnavailable(e), e.message).toBe(true);
		}
	});

	it('leaves faults in the request or the code as they are (400s and 500s)', () => {
		for (const e of [
			new Error('Cannot read properties of undefined'),
			withCode('duplicate key value violates unique constraint', '23505'),
			withCode('syntax error at or near "selec"', '42601'),
			new ValidationError([{ field: 'page', code: 'invalidPage' }]),
			'a string'
		]) {
			expect(databaseUnavailable(e)).toBe(false);
		}
	});
});
