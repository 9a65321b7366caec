import type { Page } from 'playwright-core';
import { png, tinyPdf } from '../../src/lib/server/media/test-files.ts';
import { baseUrl } from './browser.ts';
import { squash } from './xss-pages.ts';
import { FieldPlan, formulaVectors } from './xss-text-vectors.ts';

/**
 * The XSS journey's writes (xss.spec.ts): break-out vectors stored through the real forms, as an
 * editor writes them (topics, organizations, a partnership's texts and document, a partner
 * profile, an image's alt text), and the demo data it changed put back afterwards.
 */

export type Lang = 'sv' | 'en';
export const langs: Lang[] = ['sv', 'en'];
type ByLang = Record<Lang, string>;
type Entries = [string, string][];

/** A form action posted as the browser would (same origin; form-encoded, or multipart for files). */
export async function post(path: string, body: Entries | FormData, cookie: string): Promise<Response> {
	const headers: Record<string, string> = { origin: baseUrl(), accept: 'text/html', cookie };
	if (!(body instanceof FormData)) headers['content-type'] = 'application/x-www-form-urlencoded';
	return fetch(baseUrl() + path, {
		method: 'POST',
		redirect: 'manual',
		headers,
		body: body instanceof FormData ? body : new URLSearchParams(body)
	});
}

/** A form action that must be stored: 200 or 303, else the answer's start in the failure. */
async function expectStored(what: string, res: Response): Promise<string> {
	const text = await res.text();
	if (res.status !== 200 && res.status !== 303) {
		const problems = [...text.matchAll(/class="[^"]*(?:error|form-error)[^"]*"[^>]*>([^<]{1,300})/g)].map(
			(m) => m[1]
		);
		throw new Error(`${what}: answered ${res.status}: ${problems.join(' | ') || text.slice(0, 300)}`);
	}
	return text;
}

export async function getHtml(path: string, cookie = ''): Promise<string> {
	const res = await fetch(baseUrl() + path, { headers: { cookie, accept: 'text/html' } });
	if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
	return res.text();
}

/** The entries of the forms under `selector`, as the browser would send them (files left out). */
export function formsOf(parser: Page, html: string, selector: string): Promise<Entries[]> {
	return parser.evaluate(
		({ html, selector }) => {
			const doc = new DOMParser().parseFromString(html, 'text/html');
			return [...doc.querySelectorAll<HTMLFormElement>(selector)].map(
				(form) => [...new FormData(form)].filter(([, v]) => typeof v === 'string') as [string, string][]
			);
		},
		{ html, selector }
	);
}

/** Each element under `selector`: an attribute's value and the text of the element (or of `textOf`). */
export function elementsOf(
	parser: Page,
	html: string,
	selector: string,
	attribute: string,
	textOf?: string
): Promise<{ value: string; text: string }[]> {
	return parser.evaluate(
		({ html, selector, attribute, textOf }) => {
			const doc = new DOMParser().parseFromString(html, 'text/html');
			return [...doc.querySelectorAll(selector)].map((el) => ({
				value: el.getAttribute(attribute) ?? '',
				text: ((textOf ? el.closest(textOf) : el)?.textContent ?? '').trim()
			}));
		},
		{ html, selector, attribute, textOf }
	);
}

const field = (entries: Entries, name: string) => entries.find(([n]) => n === name)?.[1];

/** `entries` with each named field set (by occurrence for repeated names: `team_name#3`). */
function withValues(entries: Entries, values: Record<string, string>): Entries {
	const seen = new Map<string, number>();
	return entries.map(([name, value]) => {
		const i = seen.get(name) ?? 0;
		seen.set(name, i + 1);
		return [name, values[`${name}#${i}`] ?? values[name] ?? value];
	});
}

/** The one item of `items` whose text shows `name` (squashed: the app collapses white space). */
function byName<T extends { text: string }>(items: T[], name: string, what: string): T {
	const found = items.filter((i) => squash(i.text).includes(squash(name)));
	if (found.length !== 1) throw new Error(`${found.length} ${what} named ${JSON.stringify(name)}`);
	return found[0]!;
}

export interface StoredFields {
	topics: { key: string; name: ByLang; description: ByLang }[];
	organizations: { id: string; slug: string; country: string; name: ByLang }[];
	/** A demo organization renamed for the journey (a member of the partnership below). */
	renamed: { id: string; slug: string; name: ByLang; original: Entries };
	partnership: {
		slug: string;
		id: string;
		summary: ByLang;
		team: { name: string; title: ByLang }[];
		document: { mediaId: string; title: ByLang };
		original: Entries;
	};
	profile: { id: string; offer: ByLang; seek: ByLang; contactName: string };
	image: { src: string; alt: ByLang };
}

/** The demo data the journey writes into, and puts back as it was. */
const partnershipSlug = 'vasterbotten-yogyakarta';
const renamedSlug = 'yogyakarta-special-region';
const renamedName = 'Särskilda regionen Yogyakarta';

/**
 * Stores the plan's values in every plain-text field others see, and the rich-text corpus in the
 * partnership's description, as the editor `cookie` signs in. The partnership and the renamed
 * organization are the demo's (a new partnership or member would change what the other
 * journeys count on the list and the map); `restoreFields` puts them back.
 */
export async function storeFields(
	parser: Page,
	cookie: string,
	plan: FieldPlan,
	description: ByLang
): Promise<StoredFields> {
	const both = (key: string, max: number, options: Parameters<FieldPlan['value']>[2] = {}) =>
		Object.fromEntries(langs.map((l) => [l, plan.value(`${key}.${l}`, max, options)])) as ByLang;

	// An image whose alt text the articles show.
	const alt = both('media.alt', 300);
	const upload = new FormData();
	upload.set('file', new File([new Uint8Array(await png(1000, 600))], 'xss-alt.png', { type: 'image/png' }));
	for (const l of langs) upload.set(`alt_${l}`, alt[l]);
	const library = await expectStored('the image', await post('/admin/media?/upload', upload, cookie));
	const images = await elementsOf(parser, library, 'li.media-item img', 'src', 'li.media-item');
	const src = byName(images, 'xss-alt.png', 'images').value;

	// Two topics.
	const topicNames = [1, 2].map((k) => ({
		name: both(`topic${k}.name`, 60, { label: k === 1 ? 'Ämne' : 'Tema' }),
		description: both(`topic${k}.description`, 500)
	}));
	for (const t of topicNames) {
		await expectStored(
			'a topic',
			await post(
				'/admin/topics?/add',
				[
					['nameSv', t.name.sv],
					['nameEn', t.name.en],
					['descriptionSv', t.description.sv],
					['descriptionEn', t.description.en]
				],
				cookie
			)
		);
	}

	// Two organizations abroad, their names starting with spreadsheet formulas (they reach the CSV).
	const countries = ['KH', 'FJ'];
	const orgNames = countries.map((_, k) => ({
		sv: plan.value(`organization${k + 1}.name.sv`, 160, { lead: formulaVectors[2 * k] }),
		en: plan.value(`organization${k + 1}.name.en`, 160, { lead: formulaVectors[2 * k + 1] })
	}));
	for (const [k, name] of orgNames.entries()) {
		await expectStored(
			'an organization',
			await post(
				'/admin/organizations?/create',
				[
					['name_sv', name.sv],
					['name_en', name.en],
					['kind', 'ngo'],
					['country', countries[k]!],
					['lat', k ? '-17,7' : '11,55'],
					['lon', k ? '178,1' : '104,9']
				],
				cookie
			)
		);
	}

	// The demo partner abroad, renamed (it stays on the list and the map where it was).
	const renamedTo = {
		sv: plan.value('renamed.name.sv', 160, { lead: formulaVectors[4] }),
		en: plan.value('renamed.name.en', 160, { lead: formulaVectors[5] })
	};
	const editable = await formsOf(
		parser,
		await getHtml('/admin/organizations', cookie),
		'form[action="?/update"]'
	);
	const original = editable.find((e) => field(e, 'name_sv') === renamedName);
	if (!original) throw new Error(`${renamedName} is not among the organizations an editor changes`);
	await expectStored(
		'the renamed organization',
		await post(
			'/admin/organizations?/update',
			withValues(original, { name_sv: renamedTo.sv, name_en: renamedTo.en }),
			cookie
		)
	);
	const organizations = await Promise.all(
		orgNames.map(async (name, k) => {
			const form = editable.find((e) => squash(field(e, 'name_sv') ?? '') === squash(name.sv));
			const list = await (
				await fetch(`${baseUrl()}/api/v1/organizations?country=${countries[k]}&kind=ngo`)
			).json();
			const item = (list.items as { slug: string; name: string }[]).find(
				(o) => squash(o.name) === squash(name.sv)
			);
			if (!form || !item) throw new Error(`The new organization ${JSON.stringify(name.sv)} was not found`);
			return { id: field(form, 'id')!, slug: item.slug, country: countries[k]!, name };
		})
	);

	// The partnership's texts, as its coordinator or an editor writes them.
	const editPath = `/partnerships/${partnershipSlug}/edit`;
	const [before] = await formsOf(parser, await getHtml(editPath, cookie), 'form#partnership-form');
	if (!before) throw new Error(`No partnership form on ${editPath}`);
	const summary = {
		sv: plan.value('partnership.summary.sv', 600, { lead: formulaVectors[0] }),
		en: plan.value('partnership.summary.en', 600, { lead: formulaVectors[6] })
	};
	const named = before.filter(([n, v]) => n === 'team_name' && v.trim()).length;
	if (named < 2) throw new Error(`The partnership has ${named} people in its team`);
	const team = Array.from({ length: named }, (_, i) => ({
		name: plan.value(`partnership.team${i}.name`, 120),
		title: both(`partnership.team${i}.title`, 200)
	}));
	const changes: Record<string, string> = {
		summary_sv: summary.sv,
		summary_en: summary.en,
		description_sv: description.sv,
		description_en: description.en
	};
	for (const [i, person] of team.entries()) {
		changes[`team_name#${i}`] = person.name;
		for (const l of langs) changes[`team_title_${l}#${i}`] = person.title[l];
	}
	await expectStored('the partnership', await post(`${editPath}?/save`, withValues(before, changes), cookie));
	const title = both('partnership.document.title', 200);
	const pdf = new FormData();
	pdf.set(
		'file',
		new File([new Uint8Array(tinyPdf('Xss-plan'))], 'xss-plan.pdf', { type: 'application/pdf' })
	);
	for (const l of langs) pdf.set(`title_${l}`, title[l]);
	await expectStored('the document', await post(`${editPath}?/upload`, pdf, cookie));
	const detach = await elementsOf(
		parser,
		await getHtml(editPath, cookie),
		'form[action="?/detach"] input[name="media"]',
		'value',
		'li'
	);
	const document = { mediaId: byName(detach, title.sv, 'documents').value, title };

	// The keys of the new topics, and the partnership's id, as the article form offers them.
	const articleForm = await getHtml('/admin/articles/new', cookie);
	const themeBoxes = await elementsOf(parser, articleForm, 'input[name="themes"]', 'value', 'label');
	const topics = topicNames.map((t) => ({ key: byName(themeBoxes, t.name.sv, 'topics').value, ...t }));
	const partnerships = await elementsOf(parser, articleForm, '#partnershipId option', 'value');
	const partnershipId = byName(partnerships, 'Västerbotten', 'partnerships').value;

	// A partner profile for the first new organization (editors write any organization's), with
	// nothing in common with the find-a-partner journey's profiles: it is no suggestion of theirs.
	const offer = both('profile.offer', 230);
	const seek = both('profile.seek', 2000);
	const contactName = plan.value('profile.contactName', 100, { label: 'Kontakt' });
	await expectStored(
		'the partner profile',
		await post(
			'/find-a-partner/profile?/save',
			[
				['organization', organizations[0]!.id],
				...topics.map((t): [string, string] => ['themes', t.key]),
				['languages', 'km'],
				['offerSv', offer.sv],
				['offerEn', offer.en],
				['seekSv', seek.sv],
				['seekEn', seek.en],
				['contactName', contactName],
				['contactEmail', 'xss-kontakt@example.org']
			],
			cookie
		)
	);
	const cards = await elementsOf(
		parser,
		await getHtml(`/find-a-partner?theme=${topics[0]!.key}`),
		'.profile-card .card-title a',
		'href'
	);
	if (cards.length !== 1) throw new Error(`${cards.length} profiles with the new topic`);
	const profileId = /\/find-a-partner\/(\d+)$/.exec(cards[0]!.value)?.[1];
	if (!profileId) throw new Error(`A profile's link: ${cards[0]!.value}`);

	return {
		topics,
		organizations,
		renamed: {
			id: field(original, 'id')!,
			slug: renamedSlug,
			name: renamedTo,
			original
		},
		partnership: { slug: partnershipSlug, id: partnershipId, summary, team, document, original: before },
		profile: { id: profileId, offer, seek, contactName },
		image: { src, alt }
	};
}

/**
 * Puts the demo data back as it was (the partnership's texts and documents, the organization's
 * name) and hides the journey's profile, so the journeys running beside this one see their own.
 */
export async function restoreFields(parser: Page, cookie: string, stored: StoredFields): Promise<void> {
	const failures: string[] = [];
	const attempt = async (what: string, work: () => Promise<unknown>) => {
		try {
			await work();
		} catch (error) {
			failures.push(`${what}: ${(error as Error).message}`);
		}
	};
	const editPath = `/partnerships/${stored.partnership.slug}/edit`;
	await attempt('the partnership', async () => {
		const [now] = await formsOf(parser, await getHtml(editPath, cookie), 'form#partnership-form');
		const version = field(now ?? [], 'version') ?? '';
		await expectStored(
			'the partnership',
			await post(`${editPath}?/save`, withValues(stored.partnership.original, { version }), cookie)
		);
	});
	await attempt('the document', async () =>
		expectStored(
			'the document',
			await post(`${editPath}?/detach`, [['media', stored.partnership.document.mediaId]], cookie)
		)
	);
	await attempt('the organization', async () =>
		expectStored(
			'the organization',
			await post('/admin/organizations?/update', stored.renamed.original, cookie)
		)
	);
	await attempt('the profile', async () =>
		expectStored(
			'the profile',
			await post(
				'/admin/partner-search?/hide',
				[
					['profile', stored.profile.id],
					['note', 'Dold efter XSS-testet.']
				],
				cookie
			)
		)
	);
	await attempt('checking', async () => {
		const p = await (
			await fetch(`${baseUrl()}/api/v1/partnerships/${stored.partnership.slug}?lang=sv`)
		).json();
		const summary = field(stored.partnership.original, 'summary_sv') ?? '';
		if (squash(p.summary) !== squash(summary)) throw new Error(`the summary is ${JSON.stringify(p.summary)}`);
		const ours = squash(stored.partnership.document.title.sv);
		if (p.documents.some((d: { title: string }) => squash(d.title) === ours))
			throw new Error('the document is still there');
		if (p.international[0]?.name !== renamedName)
			throw new Error(`the partner abroad is ${JSON.stringify(p.international[0]?.name)}`);
	});
	if (failures.length) throw new Error(`Not put back: ${failures.join('; ')}`);
}
