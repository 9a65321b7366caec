import { eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { partnership } from '../../partnerships/schema.ts';
import { sdgGoal, sdgTarget, theme } from '../../taxonomy/schema.ts';
import { replaceFramework, type Place, type Replaced } from '../commands.ts';
import { frameworkValues, type FrameworkValues } from '../input.ts';
import { resultsPolicy } from '../policy.ts';
import { frameworkOf } from '../queries.ts';
import { lockedYears, partnershipBySlug } from '../reports/queries.ts';
import {
	changesOf,
	inSheet,
	lockedProblems,
	shownChanges,
	versionOf,
	type Preview,
	type PreviewProblem,
	type Spots
} from './diff.ts';
import { csvOf, tableOf, xlsxOf, xlsxType } from './files.ts';
import { entriesOf, sheetOf } from './layout.ts';
import { readSheet } from './read.ts';

// Export, preview and apply. The preview saves nothing; the apply reads the same file again and
// saves it through replaceFramework (one audited transaction), only if the framework is still
// the one the preview was made against and no locked year's figure changes.

type Db = Database | Transaction;

export type { Preview };

/** A partnership's stored framework and its fingerprint (what a preview is made against). */
export async function storedOf(db: Db, slug: string) {
	const ref = await partnershipBySlug(db, slug);
	const values = frameworkValues(await frameworkOf(db, ref.id));
	return { ref, values, version: versionOf(values) };
}

/** The framework as a CSV file (public, as the framework is). */
export async function spreadsheetCsv(db: Database, slug: string): Promise<Response> {
	const { values } = await storedOf(db, slug);
	return csvOf(`${slug}-results.csv`, sheetOf(values));
}

/** The framework as an XLSX file with the same columns. */
export async function spreadsheetXlsx(db: Database, slug: string): Promise<Response> {
	const { values } = await storedOf(db, slug);
	return new Response(new Uint8Array(await xlsxOf(sheetOf(values))), {
		headers: {
			'content-type': xlsxType,
			'content-disposition': `attachment; filename="${slug}-results.xlsx"`
		}
	});
}

const refused = (code: string) =>
	new ValidationError([{ field: 'spreadsheet', code } as FieldProblem<'results'>], 'results');

/** Where a spot is in the file, as a problem's place. */
const problemAt = (spots: Spots, key: string | undefined) => ({
	row: (key && spots.rows?.get(key)) || null,
	letter: null,
	element: (key && spots.elements?.get(key)) || null,
	line: null
});

/** Principles, goals and targets the file names must exist: each unknown one where it is. */
async function tagProblems(db: Db, values: FrameworkValues, spots: Spots): Promise<PreviewProblem[]> {
	const results = entriesOf(values).filter((e) => e.what === 'result');
	const nodes = results.map((e) => ({
		key: e.key,
		r: e.node as FrameworkValues['results'][number]
	}));
	const principles = [...new Set(nodes.flatMap((n) => (n.r.principle ? [n.r.principle] : [])))];
	const goals = [...new Set(nodes.flatMap((n) => n.r.goals))];
	const targets = [...new Set(nodes.flatMap((n) => n.r.targets))];
	const known = {
		principle: new Set(
			principles.length
				? (await db.select({ k: theme.key }).from(theme).where(inArray(theme.key, principles))).map(
						(t) => t.k
					)
				: []
		),
		goals: new Set(
			goals.length
				? (await db.select({ k: sdgGoal.number }).from(sdgGoal).where(inArray(sdgGoal.number, goals))).map(
						(g) => g.k
					)
				: []
		),
		targets: new Set(
			targets.length
				? (
						await db.select({ k: sdgTarget.code }).from(sdgTarget).where(inArray(sdgTarget.code, targets))
					).map((t) => t.k)
				: []
		)
	};
	return nodes
		.flatMap(({ key, r }) => [
			...(r.principle && !known.principle.has(r.principle)
				? [{ key, column: 'principle', code: 'unknownPrinciple', value: r.principle }]
				: []),
			...r.goals
				.filter((g) => !known.goals.has(g))
				.map((g) => ({ key, column: 'goals', code: 'unknownSdgGoal', value: String(g) })),
			...r.targets
				.filter((t) => !known.targets.has(t))
				.map((t) => ({ key, column: 'targets', code: 'unknownSdgTarget', value: t }))
		])
		.map(({ key, value, column, code }) => ({ ...problemAt(spots, key), column, code, params: { value } }));
}

/** A file read into a framework: its values, where each part is in the file, and its own names of results. */
export interface ReadFile {
	values: FrameworkValues;
	spots: Spots;
	names?: Place[];
}

/**
 * Everything a framework read from a file (either source) would change, and every problem it
 * has that the file alone cannot show (unknown tags, locked years); nothing is saved.
 */
export async function examineRead(db: Db, stored: FrameworkValues, partnershipId: number, read: ReadFile) {
	const changes = changesOf(stored, read.values, read.spots, read.names);
	const problems = [
		...(await tagProblems(db, read.values, read.spots)),
		...lockedProblems(changes, await lockedYears(db, partnershipId))
	];
	return { problems, changes, values: problems.length ? null : read.values };
}

/** Everything the file would change and every problem in it; nothing is saved. */
async function examine(db: Db, stored: FrameworkValues, partnershipId: number, bytes: Uint8Array) {
	const file = await tableOf(bytes);
	if ('code' in file) throw refused(file.code);
	const reading = readSheet(file.table);
	if (!reading.values)
		return { problems: reading.problems.map(inSheet), changes: [], values: null, names: [] };
	const seen = await examineRead(db, stored, partnershipId, {
		values: reading.values,
		spots: { rows: reading.rows },
		names: reading.names
	});
	return { ...seen, names: reading.names };
}

/** The preview of an uploaded file (its partnership's coordinators and the programme's editors). */
export async function previewSpreadsheet(
	db: Database,
	actor: Actor,
	slug: string,
	file: File
): Promise<Preview> {
	authorize(actor, resultsPolicy.workOnFramework);
	const { ref, values, version } = await storedOf(db, slug);
	await authorizeOn(actor, resultsPolicy.editFramework, { db, id: ref.id });
	const bytes = new Uint8Array(await file.arrayBuffer());
	const seen = await examine(db, values, ref.id, bytes);
	return {
		source: 'spreadsheet',
		problems: seen.problems,
		leftOut: [],
		activities: [],
		activity: null,
		changes: shownChanges(seen.changes),
		version,
		sheet: seen.values && seen.changes.length ? Buffer.from(bytes).toString('base64') : null
	};
}

/** Saves a previewed file, unless the framework changed since the preview or the file has problems. */
export async function applySpreadsheet(
	db: Database,
	actor: Actor,
	slug: string,
	form: { sheet: string; version: string }
): Promise<Replaced> {
	const bytes = new Uint8Array(Buffer.from(form.sheet, 'base64'));
	return applyFile(db, actor, slug, form.version, 'spreadsheet', (tx, stored, id) =>
		examine(tx, stored, id, bytes)
	);
}

/**
 * Saves a previewed file of either source in one transaction, unless the framework changed since
 * the preview (`version`) or the file, read again against what is stored now, has problems.
 */
export async function applyFile(
	db: Database,
	actor: Actor,
	slug: string,
	version: string,
	source: 'spreadsheet' | 'iati',
	again: (
		tx: Transaction,
		stored: FrameworkValues,
		partnershipId: number
	) => Promise<{ values: FrameworkValues | null; names?: Place[] }>
): Promise<Replaced> {
	let values: FrameworkValues | null = null;
	let names: Place[] | undefined;
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => version,
		check: async (tx, version, who) => {
			const ref = await partnershipBySlug(tx, slug);
			// Two saves of the same partnership wait for each other, so each compares with what is stored.
			await tx
				.select({ id: partnership.id })
				.from(partnership)
				.where(eq(partnership.id, ref.id))
				.for('update');
			await authorizeOn(who, resultsPolicy.editFramework, { db: tx, id: ref.id });
			const stored = await storedOf(tx, slug);
			if (stored.version !== version) throw refused('sheetChanged');
			const seen = await again(tx, stored.values, ref.id);
			if (!seen.values) throw refused('sheetHasProblems');
			({ values, names } = seen);
		},
		work: async (tx) => ({
			// replaceFramework audits the replacement; this command adds nothing of its own to trace.
			result: await replaceFramework(tx, actor, slug, source, () => ({ values, names })),
			audit: [],
			public: true
		})
	});
}
