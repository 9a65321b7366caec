import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { testDatabases } from '../test/databases.ts';
import { everyRole, type TestActor } from '../test/actors.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { defineModule, type Module } from '../kernel/module.ts';
import { rules, staff } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { readForm, requiredLine, fields } from '../kernel/input.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import { mergeTopics } from '../taxonomy/topics.ts';
import { modules, themeMergers } from './modules.ts';
import { prepareDatabase, runTicks } from './startup.ts';

/**
 * What adding a module takes, shown with a tiny one: its folder would hold the table, the rule,
 * the input, a command and the manifest below; the app's list gets one line (here: the list
 * passed to start-up, ticks and topic merges); its messages are `messages/<language>/notes.json`
 * plus two lines in src/lib/i18n/catalogue.ts (which the manifest's `name` type asks for, so a
 * module without messages does not type-check — hence the one cast below).
 */

// notes/schema.ts (its migration comes from `npm run db:generate`; here the table is made by hand)
const note = pgTable('test_note', {
	id: serial('id').primaryKey(),
	text: text('text').notNull(),
	themeKey: text('theme_key'),
	ticks: integer('ticks').notNull().default(0)
});

// notes/policy.ts
const notesPolicy = rules({
	write: { allow: staff, why: 'staff keep notes' }
});

// notes/input.ts
const noteForm = { text: requiredLine(200), theme: fields.theme.optional() };

// notes/commands.ts
async function addNote(db: DatabaseHandle['db'], actor: TestActor | null, form: Record<string, unknown>) {
	return runCommand(db, actor, {
		rule: notesPolicy.write,
		parse: () => readForm(form, noteForm),
		work: async (tx, input) => {
			const [row] = await tx
				.insert(note)
				.values({ text: input.text, themeKey: input.theme ?? null })
				.returning({ id: note.id });
			return { result: row!.id, audit: { action: 'note.add', subject: `note:${row!.id}` }, public: false };
		}
	});
}

// notes/module.ts
const notesModule: Module = defineModule({
	name: 'notes' as Module['name'],
	policy: notesPolicy,
	reference: async (db) => {
		await db.execute(sql`create table if not exists test_note (
			id serial primary key, text text not null, theme_key text, ticks integer not null default 0)`);
	},
	demo: async (db) => {
		const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(note);
		if (n === 0) await db.insert(note).values({ text: 'Ett exempel', themeKey: 'health' });
	},
	tick: async (db) => {
		await db.update(note).set({ ticks: sql`${note.ticks} + 1` });
	},
	themeMerged: async (tx, from, into) => {
		const moved = await tx
			.update(note)
			.set({ themeKey: into })
			.where(eq(note.themeKey, from))
			.returning({ id: note.id });
		return { count: moved.length, before: moved };
	}
});

// app/modules.ts: one line more.
const withNotes = [...modules, notesModule];

describe.each(testDatabases)('a module joins the app on $name', (database) => {
	let h: DatabaseHandle;
	let people: Awaited<ReturnType<typeof everyRole>>;
	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
	});
	afterAll(() => h?.close());

	it('gets its reference data and demo on start (once), and its periodic work on every tick', async () => {
		await prepareDatabase(h.db, { demo: true, modules: withNotes });
		await prepareDatabase(h.db, { demo: true, modules: withNotes });
		expect(await h.db.select({ text: note.text, ticks: note.ticks }).from(note)).toEqual([
			{ text: 'Ett exempel', ticks: 0 }
		]);
		await runTicks(h.db, withNotes);
		await runTicks(h.db, withNotes);
		expect((await h.db.select({ ticks: note.ticks }).from(note))[0]!.ticks).toBe(2);
	});

	it('writes through the kernel: its rule first, its input read, an audit row in the transaction', async () => {
		await expect(addNote(h.db, people.reader, { text: 'Nej' })).rejects.toThrow(ForbiddenError);
		await expect(addNote(h.db, people.author, { text: '   ' })).rejects.toMatchObject({
			problems: [{ field: 'text', code: 'required' }]
		});
		const id = await addNote(h.db, people.author, { text: 'Mötet flyttas', theme: 'health' });
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.subject, `note:${id}`));
		expect(row).toMatchObject({ action: 'note.add', actorId: people.author.id });
	});

	it('has its links moved when a topic is merged, with every other module', async () => {
		const mergers = [...themeMergers, { module: 'notes', merge: notesModule.themeMerged! }];
		const result = await mergeTopics(h.db, people.editor, 'health', 'culture', mergers);
		expect(result.from.sv.length).toBeGreaterThan(0);
		const themes = await h.db.select({ theme: note.themeKey }).from(note);
		expect(themes.map((t) => t.theme)).toEqual(['culture', 'culture']);
		const [merge] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'topic.merge'));
		expect((merge!.after as { moved: Record<string, number> }).moved.notes).toBe(2);
	});
});
