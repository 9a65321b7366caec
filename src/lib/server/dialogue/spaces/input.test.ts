import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../../kernel/errors.ts';
import {
	parseSpaceForm,
	readProposalListFilter,
	readSpaceFilter,
	readSpaceListApiQuery,
	spaceFormValues
} from './input.ts';

const problemsOf = (run: () => unknown) => {
	try {
		run();
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => [p.field, p.code]);
		throw e;
	}
	return [];
};

function formData(fields: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	return data;
}

describe('the dialogue list’s filters', () => {
	it('lists open spaces unless asked otherwise, and reads a goal or a target', () => {
		expect(readSpaceFilter(new URLSearchParams(''))).toEqual({ status: 'open', page: 1 });
		expect(readSpaceFilter(new URLSearchParams('sdg=16.A&country=xk&status=archived&page=2'))).toMatchObject({
			target: '16.a',
			country: 'XK',
			status: 'archived',
			page: 2
		});
		expect(readSpaceListApiQuery(new URLSearchParams('format=csv')).perPage).toBe(10_000);
	});

	it('names each bad or repeated parameter', () => {
		expect(
			problemsOf(() =>
				readSpaceFilter(new URLSearchParams('status=draft&partnership=Hörby&page=0&theme=a&theme=b'))
			)
		).toEqual([
			['theme', 'repeated'],
			['partnership', 'invalidSlug'],
			['status', 'invalidSpaceStatus'],
			['page', 'invalidPage']
		]);
		expect(
			problemsOf(() => readProposalListFilter(new URLSearchParams('status=screening&sort=oldest')))
		).toEqual([
			['status', 'invalidProposalFilter'],
			['sort', 'invalidProposalSort']
		]);
	});

	it('answers any query string with a filter or a ValidationError, never anything else', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom(
						'status',
						'theme',
						'sdg',
						'country',
						'organization',
						'partnership',
						'page',
						'sort',
						'x'
					),
					fc.string({ maxLength: 30 })
				),
				(params) => {
					for (const read of [readSpaceFilter, readProposalListFilter, readSpaceListApiQuery]) {
						try {
							read(new URLSearchParams(params));
						} catch (e) {
							expect(e).toBeInstanceOf(ValidationError);
						}
					}
				}
			)
		);
	});
});

describe('the space form', () => {
	it('keeps each phase row’s ticked inputs with its row, skips blank rows, and orders phases by date', () => {
		const values = spaceFormValues(
			formData({
				owner: 'partnership:7',
				title_en: 'Only in English',
				level: 'involvement',
				status: 'draft',
				moderation: 'pre',
				requirement_proposals: 'verified-resident',
				requirement_supports: 'verified-email',
				requirement_comments: 'verified-email',
				requirement_reports: 'verified-resident',
				support_threshold: '40',
				support_window_days: '60',
				answer_days: '90',
				flags_to_hide: '2',
				phase_kind: ['deliberation', '', 'input'],
				phase_from: ['2026-05-01', '', '2026-03-01'],
				phase_to: ['2026-05-31', '', '2026-04-30'],
				phase_opens_0: ['comments'],
				phase_opens_2: ['supports', 'proposals']
			})
		);
		const parsed = parseSpaceForm(values, { withOwner: true });
		expect(parsed).toMatchObject({
			owner: { partnershipId: 7 },
			title: { en: 'Only in English' },
			// Nothing ticked: the languages its title is written in.
			languages: ['en'],
			requirements: {
				proposals: 'verified-resident',
				supports: 'verified-email',
				comments: 'verified-email',
				reports: 'verified-resident'
			},
			supportThreshold: 40,
			phases: [
				{ kind: 'input', startsOn: '2026-03-01', endsOn: '2026-04-30', opens: ['proposals', 'supports'] },
				{ kind: 'deliberation', startsOn: '2026-05-01', endsOn: '2026-05-31', opens: ['comments'] }
			]
		});
		// Editing: the owner is not read at all.
		expect(parseSpaceForm({ ...values, owner: 'nonsense' }, { withOwner: false }).owner).toBeNull();
	});

	it('names bad choices and out-of-range numbers', () => {
		const values = spaceFormValues(
			formData({
				owner: 'organization:abc',
				title_sv: 'Ett samtal',
				languages: ['sv', 'de'],
				level: 'information',
				status: 'published',
				moderation: 'post',
				requirement_proposals: 'anyone',
				requirement_supports: 'verified-email',
				requirement_comments: 'verified-email',
				requirement_reports: 'verified-email',
				support_threshold: '0',
				support_window_days: '90',
				answer_days: '99999',
				flags_to_hide: '3',
				phase_kind: ['input'],
				phase_from: ['2026-01-01'],
				phase_to: ['2026-01-31'],
				phase_opens_0: ['votes'],
				moderators: ['<script>']
			})
		);
		expect(problemsOf(() => parseSpaceForm(values, { withOwner: true }))).toEqual([
			['owner', 'spaceUnknownOwner'],
			['languages', 'spaceInvalidLanguage'],
			['status', 'invalidSpaceStatus'],
			['requirement_proposals', 'spaceInvalidRequirement'],
			['support_threshold', 'spaceInvalidNumber'],
			['answer_days', 'spaceInvalidNumber'],
			['moderators', 'spaceUnknownPerson'],
			['phase_0', 'spaceInvalidPhase']
		]);
	});

	it('answers any form with a parsed space or a ValidationError, never anything else', () => {
		const field = fc.constantFrom(
			'owner',
			'title_sv',
			'description_en',
			'languages',
			'level',
			'status',
			'moderation',
			'requirement_comments',
			'support_threshold',
			'phase_kind',
			'phase_from',
			'phase_to',
			'phase_opens_0',
			'themes',
			'goals',
			'targets',
			'moderators',
			'version'
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(field, fc.string({ maxLength: 40 })), { maxLength: 30 }), (pairs) => {
				const data = new FormData();
				for (const [k, v] of pairs) data.append(k, v);
				try {
					parseSpaceForm(spaceFormValues(data), { withOwner: true });
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			})
		);
	});
});
