import type { Database, Transaction } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import type { Replaced } from '../commands.ts';
import { frameworkShape, type FrameworkValues } from '../input.ts';
import { resultsPolicy } from '../policy.ts';
import { applyFile, examineRead, storedOf } from '../spreadsheet/commands.ts';
import { inFile, shownChanges, type Preview, type PreviewProblem } from '../spreadsheet/diff.ts';
import { entriesOf } from '../spreadsheet/layout.ts';
import { activityIdentifier } from './export.ts';
import { maxIatiBytes, readActivity, type ImportProblem } from './import.ts';
import { readIati } from './read.ts';

// An IATI activity file on the import page: the same preview as a spreadsheet's (each change,
// each problem with its element and, where known, its line), nothing saved until the person
// confirms, and then saved whole or not at all (spreadsheet/commands.ts `applyFile`). What is
// wrong with the file as a whole (too large, not XML, not IATI, no such activity) is said at the
// file's field; what the schema or the mapping refuses is listed element by element.

type Db = Database | Transaction;

/** The first few schema problems are shown: past that, a file is usually wrong in the same way throughout. */
const shownSchemaProblems = 5;

const atFile = (code: string, params?: Record<string, string>, field = 'spreadsheet') =>
	new ValidationError([{ field, code, ...(params ? { params } : {}) } as FieldProblem<'results'>], 'results');

/** Whether an upload is XML (an IATI file) rather than a spreadsheet: its first character is "<". */
export function isXmlFile(bytes: Uint8Array): boolean {
	let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i]!)) i++;
	return bytes[i] === 0x3c;
}

interface Examined {
	problems: PreviewProblem[];
	leftOut: PreviewProblem[];
	activities: Preview['activities'];
	/** The position (1-based) of the activity read, or null when the person must choose. */
	activity: number | null;
	changes: Preview['changes'];
	values: FrameworkValues | null;
}

/**
 * Reads an IATI file against the stored framework: the file's activities, the one chosen (by its
 * position, else the one with this partnership's identifier, else the only one), its changes and
 * every problem. Throws a ValidationError at the file's field for a file that is no IATI file.
 */
async function examineIati(
	db: Db,
	slug: string,
	stored: FrameworkValues,
	partnershipId: number,
	bytes: Uint8Array,
	chosen: number | undefined
): Promise<Examined> {
	if (bytes.byteLength === 0) throw atFile('sheetEmpty');
	if (bytes.byteLength > maxIatiBytes) throw atFile('tooLarge', { max: String(maxIatiBytes / 1024 / 1024) });
	let xml: string;
	try {
		xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw atFile('notUtf8');
	}
	const read = readIati(xml);
	if (!read.ok) throw atFile(read.code, { line: String(read.line ?? '') });
	const activities = read.activities.map((a) => ({ identifier: a.identifier, results: a.results.length }));
	const none = { problems: [], leftOut: [], changes: [], values: null, activities };

	// The schema first: the mapping would only repeat what it says, less exactly. Loaded only now
	// (a megabyte of WebAssembly that no other page needs).
	const { schemaProblems } = await import('./xsd.ts');
	const schema = schemaProblems(xml, shownSchemaProblems);
	if (schema.problems.length) {
		const more = schema.total - schema.problems.length;
		const problems = schema.problems.map(inFile);
		if (more > 0) problems.push(inFile({ path: 'file', code: 'xsdMore', params: { count: String(more) } }));
		return { ...none, problems, activity: null };
	}

	const own = activityIdentifier(slug);
	const at =
		chosen !== undefined
			? chosen - 1
			: activities.length === 1
				? 0
				: activities.findIndex((a) => a.identifier === own);
	if (chosen !== undefined && !activities[at]) {
		throw atFile('unknownActivity', { count: String(activities.length) }, 'activity');
	}
	if (at === -1) return { ...none, activity: null };

	const chosenActivity = read.activities[at]!;
	const reading = readActivity(chosenActivity);
	/** The line of the element a problem is in (an attribute's, its element's; else the nearest enclosing one read). */
	const lineOf = (path: string): number | undefined => {
		for (let p = path; p; p = p.slice(0, Math.max(p.lastIndexOf('/'), 0))) {
			const line = chosenActivity.lines.get(p);
			if (line) return line;
		}
		return undefined;
	};
	const problem = (p: ImportProblem) => inFile({ ...p, line: p.line ?? lineOf(p.path) });
	/** In the order they are met reading the file (those without a line last). */
	const inFileOrder = (ps: PreviewProblem[]) =>
		ps.toSorted((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
	const leftOut = inFileOrder(reading.leftOut.map(problem));
	if (!reading.values)
		return { ...none, problems: inFileOrder(reading.problems.map(problem)), leftOut, activity: at + 1 };
	const parsed = frameworkShape.safeParse(reading.values);
	if (!parsed.success) {
		const problems: PreviewProblem[] = [];
		for (const issue of parsed.error.issues) {
			const path = reading.locate(issue.path);
			if (problems.some((p) => (p.element ?? 'file') === path)) continue;
			const code = /^[A-Za-z][A-Za-z0-9]*$/.test(issue.message) ? issue.message : 'invalid';
			problems.push(problem({ path, code }));
		}
		return { ...none, problems: inFileOrder(problems), leftOut, activity: at + 1 };
	}
	// Each part's element, by the key a change is known by (read before the parse, which copies).
	const elements = new Map<string, string>();
	for (const e of entriesOf(reading.values)) {
		const place = reading.placeOf(e.node);
		if (place) elements.set(e.key, place);
	}
	const seen = await examineRead(db, stored, partnershipId, { values: parsed.data, spots: { elements } });
	return { ...seen, leftOut, activities, activity: at + 1 };
}

/**
 * The preview of an IATI file (its partnership's coordinators and the programme's editors);
 * `activity` is the position of the activity chosen among the file's. Nothing is saved.
 */
export async function previewIati(
	db: Database,
	actor: Actor,
	slug: string,
	bytes: Uint8Array,
	activity?: number
): Promise<Preview> {
	authorize(actor, resultsPolicy.workOnFramework);
	const { ref, values, version } = await storedOf(db, slug);
	await authorizeOn(actor, resultsPolicy.editFramework, { db, id: ref.id });
	const seen = await examineIati(db, slug, values, ref.id, bytes, activity);
	const changes = shownChanges(seen.changes);
	// The file goes back with the page when it can be saved, or when its activity is to be chosen.
	const keep = (seen.values && changes.length) || seen.activities.length > 1;
	return {
		source: 'iati',
		problems: seen.problems,
		leftOut: seen.leftOut,
		activities: seen.activities,
		activity: seen.activity,
		changes,
		version,
		sheet: keep ? Buffer.from(bytes).toString('base64') : null
	};
}

/** Saves a previewed IATI file, unless the framework changed since the preview or the file has problems. */
export async function applyIati(
	db: Database,
	actor: Actor,
	slug: string,
	form: { sheet: string; version: string; activity?: number }
): Promise<Replaced> {
	const bytes = new Uint8Array(Buffer.from(form.sheet, 'base64'));
	return applyFile(db, actor, slug, form.version, 'iati', async (tx, stored, id) => {
		const seen = await examineIati(tx, slug, stored, id, bytes, form.activity);
		return { values: seen.problems.length ? null : seen.values };
	});
}
