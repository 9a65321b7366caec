import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { testDatabases } from '../../test/databases.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { aComment, aProposal, aSpace, type TestSpace } from '../../test/factories/dialogue.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { responseSchema } from '../../kernel/openapi.ts';
import { dialogueComment, proposal, proposalAnswer, proposalEvent } from '../schema.ts';
import {
	readCommentListApiQuery,
	readProposalListApiQuery,
	type CommentFilter,
	type ProposalFilter
} from './input.ts';
import { getProposal, listComments, listProposals } from './queries.ts';
import { openDataEndpoints } from './endpoints.ts';
import { commentListJson, proposalJson, proposalListJson } from './views.ts';

// What anyone can fetch from /api/v1/proposals, /api/v1/proposals/<id> and /api/v1/comments:
// only what the pages show, the filters of the space page, and answers the API's document names.

const origin = 'https://example.se';
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const schemaOf = (path: string) => responseSchema(openDataEndpoints.find((e) => e.path === path)!.response!);
const validList = ajv.compile(schemaOf('/api/v1/proposals'));
const validProposal = ajv.compile(schemaOf('/api/v1/proposals/{id}'));
const validComments = ajv.compile(schemaOf('/api/v1/comments'));

const proposals = (query: string) => readProposalListApiQuery(new URLSearchParams(query));
const comments = (query: string) => readCommentListApiQuery(new URLSearchParams(query));
const filterOf = (f: Partial<ProposalFilter>): ProposalFilter => ({
	sort: 'newest',
	page: 1,
	perPage: 100,
	...f
});
const commentFilter = (f: Partial<CommentFilter>): CommentFilter => ({ page: 1, perPage: 100, ...f });

describe('the open data query strings', () => {
	it('name a bad answer state, sort or status, and a repeated parameter', () => {
		const problems = (query: string) => {
			try {
				proposals(query);
			} catch (e) {
				return (e as ValidationError).problems.map((p) => `${p.field}:${String(p.code)}`);
			}
			return [];
		};
		expect(problems('answer_state=maybe')).toEqual(['answer_state:opendataInvalidAnswerState']);
		expect(problems('sort=oldest&status=refused')).toEqual([
			'status:invalidProposalFilter',
			'sort:invalidProposalSort'
		]);
		expect(problems('status=screening')).toEqual(['status:invalidProposalFilter']);
		expect(problems('space=a&space=b')).toEqual(['space:repeated']);
		expect(() => comments('proposal=x!y')).toThrow(ValidationError);
	});

	it('give JSON a page of 20 unless asked, and CSV the whole list', () => {
		expect(proposals('').filter).toMatchObject({ sort: 'newest', page: 1, perPage: 20 });
		expect(proposals('').lang).toBe('sv');
		expect(proposals('format=CSV&per_page=5').filter.perPage).toBe(10_000);
		expect(comments('lang=en&per_page=5')).toMatchObject({ lang: 'en', filter: { perPage: 5 } });
	});
});

describe.each(testDatabases)('the dialogue’s open data on $name', (database) => {
	let h: DatabaseHandle;
	let author: TestActor;
	let staff: TestActor;
	let space: TestSpace;
	let partnershipSpace: TestSpace;
	let memberSlug: string;
	let partnershipSlug: string;
	let ownerSlug: string;
	type ProposalKey =
		| 'collecting'
		| 'supported'
		| 'answered'
		| 'hidden'
		| 'flagged'
		| 'former'
		| 'screening'
		| 'refused'
		| 'partnership'
		| 'draft';
	type CommentKey = 'shown' | 'reply' | 'hidden' | 'deleted' | 'former' | 'debate' | 'screening' | 'draft';
	const p = {} as Record<ProposalKey, number>;
	const c = {} as Record<CommentKey, number>;
	/** Words that must never leave the platform through the open data. */
	const secrets = [
		'Hemligt i granskning',
		'Avvisad text',
		'Dold text om grannen',
		'Utkast till svar',
		'Utkastsamtalet'
	];

	beforeAll(async () => {
		h = await database.open();
		author = await anActor(h.db, 'reader', { name: 'Alva Exempel', email: 'alva-hemlig@example.se' });
		staff = await anActor(h.db, 'reader', { name: 'Sam Tjänsteperson' });
		const owner = await anOrganization(h.db, { country: 'SE' });
		const member = await anOrganization(h.db, { country: 'SE' });
		const ps = await aPartnership(h.db, { swedish: [member.id] });
		ownerSlug = owner.slug;
		memberSlug = member.slug;
		partnershipSlug = ps.slug;
		space = await aSpace(h.db, { organizationId: owner.id });
		partnershipSpace = await aSpace(h.db, { partnershipId: ps.id });
		const draft = await aSpace(h.db, { organizationId: owner.id, status: 'draft' });
		const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 10, minutes));
		p.collecting = (
			await aProposal(h.db, space.id, author.id, { title: 'Fler bänkar', createdAt: at(1) })
		).id;
		p.supported = (await aProposal(h.db, space.id, author.id, { title: 'Läxhjälp', createdAt: at(2) })).id;
		p.answered = (
			await aProposal(h.db, space.id, author.id, { title: 'Badplats', status: 'answered', createdAt: at(3) })
		).id;
		p.hidden = (
			await aProposal(h.db, space.id, author.id, { body: 'Dold text om grannen', createdAt: at(4) })
		).id;
		p.flagged = (await aProposal(h.db, space.id, author.id, { createdAt: at(5) })).id;
		p.former = (await aProposal(h.db, space.id, null, { title: 'Skatepark', createdAt: at(6) })).id;
		p.screening = (
			await aProposal(h.db, space.id, author.id, { title: 'Hemligt i granskning', status: 'screening' })
		).id;
		p.refused = (await aProposal(h.db, space.id, author.id, { body: 'Avvisad text', status: 'refused' })).id;
		p.partnership = (await aProposal(h.db, partnershipSpace.id, author.id, { title: 'Torget' })).id;
		p.draft = (await aProposal(h.db, draft.id, author.id, { title: 'Utkastsamtalet' })).id;
		await h.db.update(proposal).set({ supportCount: 12 }).where(eq(proposal.id, p.supported));
		await h.db
			.update(proposal)
			.set({ answerState: 'accepted', supportCount: 50 })
			.where(eq(proposal.id, p.answered));
		await h.db
			.update(proposal)
			.set({ hidden: true, hiddenReason: 'Namnger en granne' })
			.where(eq(proposal.id, p.hidden));
		await h.db.update(proposal).set({ hidden: true }).where(eq(proposal.id, p.flagged));
		await h.db.insert(proposalAnswer).values([
			{
				proposalId: p.answered,
				state: 'accepted',
				text: { sv: 'Vi öppnar en badplats.', en: 'We will open a bathing place.' },
				decidedBy: { sv: 'Kommunstyrelsen', en: 'The municipal executive board' },
				decisionUrl: 'https://example.se/beslut/1',
				authorId: staff.id,
				publishedAt: at(30)
			},
			{ proposalId: p.answered, state: 'done', text: { sv: 'Utkast till svar' }, authorId: staff.id }
		]);
		await h.db.insert(proposalEvent).values([
			{ proposalId: p.answered, kind: 'submitted', at: at(3) },
			{ proposalId: p.answered, kind: 'threshold-reached', detail: { supports: '50' }, at: at(10) },
			{ proposalId: p.answered, kind: 'answer-published', detail: { state: 'accepted' }, at: at(30) },
			{
				proposalId: p.hidden,
				kind: 'hidden',
				detail: { by: 'moderator', reason: 'Namnger en granne' },
				at: at(20)
			},
			{ proposalId: p.refused, kind: 'refused', detail: { reason: 'Avvisad text' }, at: at(20) }
		]);
		const shown = await aComment(h.db, space.id, author.id, { proposalId: p.collecting, body: 'Bra idé!' });
		c.shown = shown.id;
		c.reply = (
			await aComment(h.db, space.id, staff.id, { proposalId: p.collecting, parent: shown, body: 'Tack.' })
		).id;
		c.hidden = (
			await aComment(h.db, space.id, author.id, { proposalId: p.collecting, body: 'Dold text om grannen' })
		).id;
		c.deleted = (
			await aComment(h.db, space.id, author.id, { proposalId: p.collecting, body: 'Avvisad text' })
		).id;
		c.former = (await aComment(h.db, space.id, null, { proposalId: p.collecting, body: 'Gammal röst' })).id;
		c.debate = (await aComment(h.db, space.id, author.id, { body: 'Om samtalet i stort' })).id;
		c.screening = (
			await aComment(h.db, space.id, author.id, { proposalId: p.screening, body: 'Hemligt i granskning' })
		).id;
		c.draft = (await aComment(h.db, draft.id, author.id, { body: 'Utkastsamtalet' })).id;
		await h.db
			.update(dialogueComment)
			.set({ hidden: true, hiddenReason: 'Personuppgifter' })
			.where(eq(dialogueComment.id, c.hidden));
		await h.db
			.update(dialogueComment)
			.set({ deletedAt: new Date(), stance: 'for' })
			.where(eq(dialogueComment.id, c.deleted));
	});
	afterAll(() => h?.close());

	it('lists a space’s public proposals only, a hidden one without its words but with the public reason', async () => {
		const page = await listProposals(h.db, filterOf({ space: space.slug }));
		expect(page.items.map((x) => x.id)).toEqual([
			p.former,
			p.flagged,
			p.hidden,
			p.answered,
			p.supported,
			p.collecting
		]);
		expect(page.total).toBe(6);
		const hidden = page.items.find((x) => x.id === p.hidden)!;
		expect(hidden).toMatchObject({
			title: null,
			body: null,
			placeName: null,
			hidden: true,
			hiddenReason: 'Namnger en granne'
		});
		expect(page.items.find((x) => x.id === p.flagged)).toMatchObject({
			title: null,
			hidden: true,
			hiddenReason: null
		});
	});

	it('names authors as they show themselves, and a deleted account as a former participant', async () => {
		const page = await listProposals(h.db, filterOf({ space: space.slug }));
		const sv = proposalListJson(origin, 'sv', page);
		const en = proposalListJson(origin, 'en', page);
		expect(sv.items.find((x) => x.id === p.collecting)).toMatchObject({
			author: 'Alva Exempel',
			authorIsFormer: false
		});
		expect(sv.items.find((x) => x.id === p.former)).toMatchObject({
			author: 'Tidigare deltagare',
			authorIsFormer: true
		});
		expect(en.items.find((x) => x.id === p.former)).toMatchObject({
			author: 'Former participant',
			url: `${origin}/en/dialogue/${space.slug}/proposals/${p.former}`
		});
	});

	it('filters by status, answer state, owner and partnership, and sorts by supports', async () => {
		const ids = async (f: Partial<ProposalFilter>) =>
			(await listProposals(h.db, filterOf(f))).items.map((x) => x.id);
		expect(await ids({ space: space.slug, status: 'answered' })).toEqual([p.answered]);
		expect(await ids({ answerState: 'accepted', space: space.slug })).toEqual([p.answered]);
		expect(await ids({ answerState: 'rejected', space: space.slug })).toEqual([]);
		expect(await ids({ partnership: partnershipSlug })).toEqual([p.partnership]);
		// An organization's own spaces and its partnerships' spaces.
		expect(await ids({ organization: memberSlug })).toEqual([p.partnership]);
		expect((await ids({ organization: ownerSlug })).sort()).toEqual(
			[p.former, p.flagged, p.hidden, p.answered, p.supported, p.collecting].sort()
		);
		expect((await ids({ space: space.slug, sort: 'supported' })).slice(0, 2)).toEqual([
			p.answered,
			p.supported
		]);
		expect(await ids({ space: 'no-such-space' })).toEqual([]);
	});

	it('pages, and counts past the end', async () => {
		const second = await listProposals(h.db, filterOf({ space: space.slug, perPage: 4, page: 2 }));
		expect(second.items.map((x) => x.id)).toEqual([p.supported, p.collecting]);
		expect(second.total).toBe(6);
		const beyond = await listProposals(h.db, filterOf({ space: space.slug, perPage: 4, page: 5 }));
		expect(beyond).toMatchObject({ items: [], total: 6, page: 5, perPage: 4 });
	});

	it('gives a proposal with its published answers and history, and nothing else', async () => {
		const json = proposalJson(origin, 'en', await getProposal(h.db, p.answered));
		expect(json.answers).toEqual([
			{
				id: expect.any(Number),
				state: 'accepted',
				text: 'We will open a bathing place.',
				textLang: 'en',
				decidedBy: 'The municipal executive board',
				decisionUrl: 'https://example.se/beslut/1',
				publishedAt: '2026-11-01T10:30:00.000Z'
			}
		]);
		expect(json.history.map((e) => [e.kind, e.supports, e.answerState])).toEqual([
			['submitted', null, null],
			['threshold-reached', 50, null],
			['answer-published', null, 'accepted']
		]);
		const hidden = proposalJson(origin, 'sv', await getProposal(h.db, p.hidden));
		expect(hidden).toMatchObject({ title: null, body: null, hiddenReason: 'Namnger en granne' });
		expect(hidden.history).toEqual([
			expect.objectContaining({ kind: 'hidden', hiddenBy: 'moderator', reason: 'Namnger en granne' })
		]);
		for (const id of [p.screening, p.refused, p.draft, 999_999_999]) {
			await expect(getProposal(h.db, id)).rejects.toThrow(NotFoundError);
		}
	});

	it('lists comments oldest first: hidden and deleted ones without their words, none from screening or drafts', async () => {
		const page = await listComments(h.db, commentFilter({ space: space.slug }));
		expect(page.items.map((x) => x.id)).toEqual([c.shown, c.reply, c.hidden, c.deleted, c.former, c.debate]);
		const json = commentListJson(origin, 'sv', page);
		const byId = (id: number) => json.items.find((x) => x.id === id)!;
		expect(byId(c.shown)).toMatchObject({
			author: 'Alva Exempel',
			body: 'Bra idé!',
			state: 'shown',
			proposal: p.collecting
		});
		expect(byId(c.reply)).toMatchObject({ parent: c.shown, depth: 1, author: 'Sam Tjänsteperson' });
		expect(byId(c.hidden)).toMatchObject({ body: null, state: 'hidden', hiddenReason: 'Personuppgifter' });
		expect(byId(c.deleted)).toMatchObject({ body: null, author: null, stance: null, state: 'deleted' });
		expect(byId(c.former)).toMatchObject({
			author: 'Tidigare deltagare',
			authorIsFormer: true,
			body: 'Gammal röst'
		});
		expect(byId(c.debate)).toMatchObject({
			proposal: null,
			url: `${origin}/dialogue/${space.slug}/debate#comment-${c.debate}`
		});
		const onOne = await listComments(h.db, commentFilter({ proposal: p.collecting, perPage: 2, page: 2 }));
		expect(onOne.items.map((x) => x.id)).toEqual([c.hidden, c.deleted]);
		expect(onOne.total).toBe(5);
		expect((await listComments(h.db, commentFilter({ proposal: p.screening }))).items).toEqual([]);
		const all = await listComments(h.db, commentFilter({ perPage: 100 }));
		expect(all.items.map((x) => x.id)).not.toContain(c.draft);
	});

	it('answers exactly as the API’s document says, and never with an id or address of a person', async () => {
		const everything = [];
		for (const lang of ['sv', 'en'] as const) {
			const list = proposalListJson(origin, lang, await listProposals(h.db, filterOf({ perPage: 100 })));
			expect(validList(list), JSON.stringify(validList.errors)).toBe(true);
			const comments = commentListJson(
				origin,
				lang,
				await listComments(h.db, commentFilter({ perPage: 100 }))
			);
			expect(validComments(comments), JSON.stringify(validComments.errors)).toBe(true);
			everything.push(list, comments);
			for (const id of [p.answered, p.hidden, p.former]) {
				const one = proposalJson(origin, lang, await getProposal(h.db, id));
				expect(validProposal(one), JSON.stringify(validProposal.errors)).toBe(true);
				everything.push(one);
			}
		}
		const text = JSON.stringify(everything);
		expect(text).toContain('Alva Exempel');
		for (const never of [author.id, author.email, staff.id, ...secrets]) expect(text).not.toContain(never);
	});
});
