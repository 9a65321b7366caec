import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import fc from 'fast-check';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { dialogueComment, proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import { listProposals } from './queries.ts';
import { spaceFeed } from './space.ts';
import { spaceZip } from './zip.ts';
import { spaceFeedXml } from './feed.ts';
import { tableResponse } from './csv.ts';
import { answerTable, commentTable, historyTable, proposalTable } from './tables.ts';
import { undescribedColumns } from './readme.ts';

// A space's data.zip and feed.xml, and the CSV of the API: what a journalist, a researcher or a
// feed reader gets, and that it holds nothing the pages do not show.

const origin = 'https://example.se';
const bom = [0xef, 0xbb, 0xbf];
const cells = (bytes: Uint8Array): string[][] => parse(Buffer.from(bytes), { bom: true });
// XML 1.0's `Char`: a document with any other character is not well-formed.
const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('the open data’s tables', () => {
	it('describe every column in Swedish and English', () => {
		for (const table of [
			proposalTable(origin, 'sv'),
			commentTable(origin, 'sv'),
			answerTable(origin, 'sv', 'x'),
			historyTable('x')
		]) {
			expect(undescribedColumns(table), table.name).toEqual([]);
		}
	});
});

describe.each(testDatabases)('a space’s data.zip, feed and CSV on $name', (database) => {
	let h: DatabaseHandle;
	let author: TestActor;
	let space: TestSpace;
	const p = {} as Record<'benches' | 'answered' | 'hidden' | 'screening', number>;

	beforeAll(async () => {
		h = await database.open();
		author = await anActor(h.db, 'reader', { name: 'Noor Exempel', email: 'noor-hemlig@example.se' });
		space = await aSpace(h.db, { title: 'Samtal | om parken' });
		const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));
		p.benches = (
			await aProposal(h.db, space.id, author.id, {
				title: 'Fler bänkar',
				body: 'Rad ett,\n"rad" två\n=SUMMA(A1)',
				createdAt: at(1)
			})
		).id;
		p.answered = (
			await aProposal(h.db, space.id, null, { title: 'Badplats', status: 'answered', createdAt: at(2) })
		).id;
		p.hidden = (await aProposal(h.db, space.id, author.id, { title: 'Om grannen', createdAt: at(3) })).id;
		p.screening = (
			await aProposal(h.db, space.id, author.id, { title: 'I granskning', status: 'screening' })
		).id;
		await h.db
			.update(proposal)
			.set({ placeName: 'Parken', lat: 57.93, lon: -12.5 })
			.where(eq(proposal.id, p.benches));
		await h.db.update(proposal).set({ answerState: 'rejected' }).where(eq(proposal.id, p.answered));
		await h.db
			.update(proposal)
			.set({ hidden: true, hiddenReason: 'Personuppgifter' })
			.where(eq(proposal.id, p.hidden));
		await h.db.insert(proposalAnswer).values([
			{
				proposalId: p.answered,
				state: 'rejected',
				text: { sv: 'Vattnet är för grunt.', en: 'The water is too shallow.' },
				decidedBy: { sv: 'Miljönämnden' },
				publishedAt: at(40)
			},
			{ proposalId: p.answered, state: 'done', text: { sv: 'Ett utkast' } }
		]);
		await h.db.insert(proposalEvent).values([
			{ proposalId: p.answered, kind: 'answer-published', detail: { state: 'rejected' }, at: at(40) },
			{ proposalId: p.hidden, kind: 'hidden', detail: { by: 'flags' }, at: at(41) },
			{ proposalId: p.screening, kind: 'submitted', at: at(42) }
		]);
		await aComment(h.db, space.id, author.id, { proposalId: p.benches, body: '@admin kolla här' });
		const deleted = await aComment(h.db, space.id, author.id, { body: 'Borttagen kommentar' });
		await h.db
			.update(dialogueComment)
			.set({ deletedAt: new Date() })
			.where(eq(dialogueComment.id, deleted.id));
	});
	afterAll(() => h?.close());

	it('zips the four tables and a README, each CSV with a BOM and only what is public', async () => {
		const zip = await spaceZip(h.db, origin, 'sv', space.slug, new Date('2026-12-02T10:00:00Z'));
		const files = unzipSync(zip.bytes);
		expect(Object.keys(files).sort()).toEqual([
			'README.md',
			'answers.csv',
			'comments.csv',
			'history.csv',
			'proposals.csv'
		]);
		for (const name of ['answers.csv', 'comments.csv', 'history.csv', 'proposals.csv']) {
			expect([...files[name]!.slice(0, 3)], name).toEqual(bom);
		}
		const [header, ...rows] = cells(files['proposals.csv']!);
		const col = (row: string[], name: string) => row[header!.indexOf(name)];
		expect(rows.map((r) => col(r, 'id'))).toEqual([p.benches, p.answered, p.hidden].map(String));
		const [benches, answered, hidden] = rows;
		// Line breaks and quotes survive; a formula does not run.
		expect(col(benches!, 'body')).toBe('Rad ett,\n"rad" två\n=SUMMA(A1)');
		expect(col(benches!, 'lon')).toBe('-12.5');
		expect(col(benches!, 'author')).toBe('Noor Exempel');
		expect(col(answered!, 'author')).toBe('Tidigare deltagare');
		expect(col(answered!, 'answer_state')).toBe('rejected');
		expect([col(hidden!, 'title'), col(hidden!, 'hidden'), col(hidden!, 'hidden_reason')]).toEqual([
			'',
			'true',
			'Personuppgifter'
		]);

		const [answerHeader, ...answers] = cells(files['answers.csv']!);
		expect(answerHeader).toEqual([
			'space',
			'id',
			'proposal_id',
			'state',
			'text_sv',
			'text_en',
			'decided_by_sv',
			'decided_by_en',
			'decision_url',
			'published_at',
			'url'
		]);
		expect(answers.map((a) => a.slice(3, 8))).toEqual([
			['rejected', 'Vattnet är för grunt.', 'The water is too shallow.', 'Miljönämnden', '']
		]);
		const [, ...history] = cells(files['history.csv']!);
		expect(history.map((e) => [e[1], e[2], e[4], e[6]])).toEqual([
			[String(p.answered), 'answer-published', 'rejected', ''],
			[String(p.hidden), 'hidden', '', 'flags']
		]);
		const [, ...comments] = cells(files['comments.csv']!);
		expect(comments.map((r) => [r[5], r[7], r[8]])).toEqual([
			['Noor Exempel', 'shown', "'@admin kolla här"],
			['', 'deleted', '']
		]);

		const all = Object.values(files)
			.map((f) => strFromU8(f))
			.join('\n');
		for (const never of [
			'Om grannen',
			'I granskning',
			'Ett utkast',
			'Borttagen kommentar',
			author.id,
			author.email
		]) {
			expect(all).not.toContain(never);
		}
	});

	it('describes every column of every file in Swedish and in English', async () => {
		const files = unzipSync((await spaceZip(h.db, origin, 'en', space.slug)).bytes);
		const readme = strFromU8(files['README.md']!);
		const [sv, en] = readme.split('\n---\n');
		expect(sv).toContain('# Öppna data: Samtal | om parken');
		expect(sv).toContain('| `status` | Var förslaget är på väg. Värden: `collecting` (Samlar stöd)');
		expect(sv).toContain('| `text_en` | Svaret på engelska. |');
		expect(en).toContain('| `text_sv` | The answer in Swedish. |');
		for (const name of ['proposals', 'comments', 'answers', 'history']) {
			const [header] = cells(files[`${name}.csv`]!);
			for (const part of [sv!, en!]) {
				expect(part).toContain(`## ${name}.csv`);
				for (const column of header!) expect(part, `${name}.${column}`).toContain(`| \`${column}\` |`);
			}
		}
		expect(en).toContain(`${origin}/en/dialogue/${space.slug}`);
	});

	it('has no zip for a draft space or one that does not exist', async () => {
		const draft = await aSpace(h.db, { status: 'draft' });
		await expect(spaceZip(h.db, origin, 'sv', draft.slug)).rejects.toThrow(NotFoundError);
		await expect(spaceZip(h.db, origin, 'sv', 'finns-inte')).rejects.toThrow(NotFoundError);
		await expect(spaceFeed(h.db, draft.slug)).rejects.toThrow(NotFoundError);
	});

	it('feeds new proposals and published answers, newest first, without hidden ones', async () => {
		const feed = spaceFeedXml(
			origin,
			'en',
			await spaceFeed(h.db, space.slug),
			`/en/dialogue/${space.slug}/feed.xml`
		);
		expect(feed).toMatch(xmlChar);
		const titles = [...feed.matchAll(/<entry>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
		expect(titles).toEqual([
			'Answer (Rejected): Badplats',
			'New proposal: Badplats',
			'New proposal: Fler bänkar'
		]);
		expect(feed).toContain(
			`<link rel="self" type="application/atom+xml" href="${origin}/en/dialogue/${space.slug}/feed.xml"/>`
		);
		expect(feed).toContain('<updated>2026-11-02T09:40:00.000Z</updated>');
		expect(feed).toContain('Decided by Miljönämnden.');
		expect(feed).toContain('<summary xml:lang="sv">Rad ett,\n&quot;rad&quot; två');
		for (const never of ['Om grannen', 'I granskning', 'Ett utkast', author.email])
			expect(feed).not.toContain(never);
	});

	it('is as new as its space when it has nothing yet', async () => {
		const quiet = await aSpace(h.db);
		const feed = spaceFeedXml(origin, 'sv', await spaceFeed(h.db, quiet.slug), '/feed.xml');
		expect(feed).not.toContain('<entry>');
		expect(feed).toMatch(new RegExp(`<updated>${new Date().getUTCFullYear()}-`));
	});

	it('stays well-formed XML whatever a proposal says', async () => {
		const data = await spaceFeed(h.db, space.slug);
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
				const odd = { ...data, proposals: data.proposals.map((x) => ({ ...x, title: text, body: text })) };
				expect(spaceFeedXml(origin, 'sv', odd, '/feed.xml')).toMatch(xmlChar);
			}),
			{ numRuns: 200 }
		);
	});

	it('answers the API’s CSV with a BOM, the same columns as the zip', async () => {
		const page = await listProposals(h.db, { space: space.slug, sort: 'newest', page: 1, perPage: 10_000 });
		const res = tableResponse('proposals.csv', proposalTable(origin, 'en'), page.items);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual(bom);
		const [header, ...rows] = cells(bytes);
		expect(header).toEqual(proposalTable(origin, 'sv').header);
		expect(rows.map((r) => r[8])).toContain('Former participant');
	});
});
