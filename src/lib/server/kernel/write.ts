import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './database.ts';
import { audit, type AuditEntry } from './audit.ts';
import { bumpRevision } from './revision.ts';
import { contentChanged } from './content-version.ts';
import { authorize, type Actor, type Rule } from './policy.ts';
import { ValidationError } from './errors.ts';

/**
 * The one write path. Every change a person makes goes:
 *   authorize (by role) → parse the input → one transaction { check facts about the thing,
 *   do the work, write its audit rows, raise the content revision if the public sees it }
 *   → tell this process's caches.
 * Nothing is half-written: a failure anywhere rolls the whole change back, audit rows included.
 * A command may run inside another's transaction (the app composing two modules): it then
 * joins that transaction, and the caches hear of it once the outermost one has committed.
 */

/** What a command's work reports: its result, what to audit, and whether the public sees it. */
export interface Change<R> {
	result: R;
	/** The audit rows (the actor is filled in); none only for changes nobody needs to trace. */
	audit: Omit<AuditEntry, 'actorId'> | Omit<AuditEntry, 'actorId'>[];
	/** The change shows on public pages, feeds or the API: every instance's caches must refresh. */
	public: boolean;
}

export interface CommandSpec<P, R> {
	/** Checked first, by role alone. */
	rule: Rule<any>;
	/** The input, parsed (a ValidationError names each bad field) before anything is written. */
	parse: () => P;
	/** Inside the transaction, before the work: facts about the thing acted on (coordinator of P). */
	check?: (tx: Transaction, input: P, actor: NonNullable<Actor>) => Promise<void>;
	/** The work, in the transaction. */
	work: (tx: Transaction, input: P, actor: NonNullable<Actor>) => Promise<Change<R>>;
	/**
	 * What a unique constraint the work can break means on the form, by the constraint's name
	 * (`partnership_slug_unique`): the check found no such row, but another change saved one in
	 * the meantime. A constraint not named here gets the form-level `savedMeanwhile`.
	 */
	unique?: Record<string, ValidationError>;
}

/** Transactions opened by a command, and whether a change in them is public. */
const open = new WeakMap<object, { public: boolean }>();

async function inTransaction<R>(
	db: Database | Transaction,
	run: (tx: Transaction) => Promise<{ result: R; public: boolean }>
): Promise<R> {
	const outer = db instanceof PgTransaction ? open.get(db) : undefined;
	if (db instanceof PgTransaction && outer) {
		// Joins the caller's transaction; its commit (or rollback) decides for both.
		const { result, public: isPublic } = await run(db as Transaction);
		outer.public ||= isPublic;
		return result;
	}
	const state = { public: false };
	const result = await (db as Database).transaction(async (tx) => {
		open.set(tx, state);
		const { result, public: isPublic } = await run(tx);
		state.public ||= isPublic;
		if (state.public) await bumpRevision(tx);
		return result;
	});
	if (state.public) contentChanged();
	return result;
}

/** Runs a person's change through the write path (see the top of this file). */
export async function runCommand<P, R>(
	db: Database | Transaction,
	actor: Actor,
	spec: CommandSpec<P, R>
): Promise<R> {
	authorize(actor, spec.rule);
	const input = spec.parse();
	// Inside another command's transaction, a violation this command does not name is the outer
	// command's to answer: it knows what its form shows (an invitation making an account).
	const joined = db instanceof PgTransaction && open.has(db);
	try {
		return await inTransaction(db, async (tx) => {
			if (spec.check) await spec.check(tx, input, actor);
			const change = await spec.work(tx, input, actor);
			for (const entry of [change.audit].flat()) await audit(tx, { ...entry, actorId: actor.id });
			return { result: change.result, public: change.public };
		});
	} catch (error) {
		const constraint = uniqueViolation(error);
		if (constraint === undefined) throw error;
		// A race the check could not see: answered like the check's own finding, never a 500.
		const declared = spec.unique?.[constraint];
		if (declared) throw declared;
		if (joined) throw error;
		throw new ValidationError([{ field: 'form', code: 'savedMeanwhile' }]);
	}
}

/** The constraint a unique violation (PostgreSQL 23505) broke, following Drizzle's wrapping. */
export function uniqueViolation(error: unknown): string | undefined {
	for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
		const { code, constraint } = e as { code?: unknown; constraint?: unknown };
		if (code === '23505') return typeof constraint === 'string' ? constraint : '';
	}
	return undefined;
}

/**
 * A change the platform makes by itself (a scheduled article going live, the demo being loaded):
 * the same transaction, audit and revision, with no actor.
 */
export async function runSystemChange<R>(
	db: Database | Transaction,
	work: (tx: Transaction) => Promise<Change<R>>
): Promise<R> {
	return inTransaction(db, async (tx) => {
		const change = await work(tx);
		for (const entry of [change.audit].flat()) await audit(tx, { ...entry, actorId: null });
		return { result: change.result, public: change.public };
	});
}
