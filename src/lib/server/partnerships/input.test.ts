import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../kernel/errors.ts';
import { readOrganizationFilter } from '../organizations/input.ts';
import {
	parsePartnershipForm,
	partnershipFormValues,
	readPartnershipFilter,
	readPartnershipListApiQuery
} from './input.ts';

function formData(fields: Record<string, string | string[]>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
	return data;
}

const problemsOf = (run: () => unknown) => {
	try {
		run();
	} catch (e) {
		if (e instanceof ValidationError) return e.problems;
		throw e;
	}
	throw new Error('no ValidationError');
};

describe('reading the partnership filters', () => {
	it('names every bad or repeated parameter and ignores unknown ones', () => {
		expect(readPartnershipFilter(new URLSearchParams('sdg=11.3&county=14&utm_source=x'))).toEqual({
			target: '11.3',
			county: '14',
			page: 1
		});
		expect(readPartnershipFilter(new URLSearchParams('country=xk&sdg=16&page=2'))).toMatchObject({
			country: 'XK',
			goal: 16,
			page: 2
		});
		const problems = problemsOf(() =>
			readPartnershipFilter(new URLSearchParams('status=paused&county=1&country=S&sdg=18&page=0&theme=A'))
		);
		expect(problems.map((p) => p.field).sort()).toEqual(
			['country', 'county', 'page', 'sdg', 'status', 'theme'].sort()
		);
		expect(
			problemsOf(() => readPartnershipFilter(new URLSearchParams('status=active&status=completed')))
		).toEqual([{ field: 'status', code: 'repeated' }]);
	});
	it('refuses a country that does not exist, as the filter page and the API say', () => {
		expect(problemsOf(() => readPartnershipFilter(new URLSearchParams('country=ZZ')))).toEqual([
			{ field: 'country', code: 'invalidCountry' }
		]);
	});
	it('reads the API: a page of 20 by default, the whole list for CSV, and the format named when wrong', () => {
		expect(readPartnershipListApiQuery(new URLSearchParams(''))).toMatchObject({
			lang: 'sv',
			format: 'json',
			perPage: 20
		});
		expect(readPartnershipListApiQuery(new URLSearchParams('format=CSV&per_page=5&lang=en'))).toMatchObject({
			lang: 'en',
			format: 'csv',
			perPage: 10_000
		});
		expect(problemsOf(() => readPartnershipListApiQuery(new URLSearchParams('format=xml')))).toEqual([
			{ field: 'format', code: 'invalidFormat' }
		]);
		expect(
			problemsOf(() => readPartnershipListApiQuery(new URLSearchParams('per_page=101&lang=de'))).map(
				(p) => p.code
			)
		).toEqual(['invalidLang', 'invalidPerPage']);
	});
	it('answers any query string with a filter or a ValidationError, never anything else', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom('status', 'theme', 'sdg', 'country', 'county', 'page', 'kind', 'x'),
					fc.string({ maxLength: 30 })
				),
				(params) => {
					for (const read of [readPartnershipFilter, readOrganizationFilter]) {
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

describe('the partnership form', () => {
	it('names duplicate members, missing sides, bad years and overlong texts, all at once', () => {
		const values = partnershipFormValues(
			formData({
				status: 'active',
				swedish: ['5'],
				international: ['5'],
				summary_sv: 'x'.repeat(601),
				phase_active_from: '2019',
				phase_active_to: '2017',
				phase_inception_from: '19',
				team_name: ['Kim', ''],
				team_side: ['north', 'swedish'],
				team_role: ['coordinator', 'coordinator']
			})
		);
		expect(problemsOf(() => parsePartnershipForm(values))).toEqual(
			expect.arrayContaining([
				{ field: 'members', code: 'duplicateMember' },
				{ field: 'summary_sv', code: 'tooLong' },
				{ field: 'phase_active', code: 'yearOrder' },
				{ field: 'phase_inception', code: 'invalidYear' },
				{ field: 'team_0', code: 'invalidTeamRow' }
			])
		);
		const oneSide = partnershipFormValues(formData({ status: 'active', swedish: ['5'] }));
		expect(problemsOf(() => parsePartnershipForm(oneSide))).toEqual([
			{ field: 'members', code: 'membersRequired' },
			{ field: 'summary_sv', code: 'required' }
		]);
	});
	it('reads a good form: years, team rows by position, tags once each, texts cleaned', () => {
		const parsed = parsePartnershipForm(
			partnershipFormValues(
				formData({
					status: 'active',
					swedish: ['12'],
					international: ['34', ''],
					themes: ['culture', 'culture'],
					goals: ['16'],
					targets: ['16.7', '16.A'],
					summary_sv: '  Ale och Ghanzi.  ',
					description_en: '<p>Text</p>',
					phase_inception_from: '2019',
					phase_inception_to: '2019',
					phase_active_from: ' 2020 ',
					team_name: ['', 'Kim Berg'],
					team_side: ['swedish', 'international'],
					team_role: ['coordinator', 'civil-servant'],
					team_title_sv: ['', 'Handläggare'],
					team_title_en: ['', ''],
					version: '2026-01-01T00:00:00.000Z'
				})
			)
		);
		expect(parsed).toEqual({
			status: 'active',
			swedish: [12],
			international: [34],
			themes: ['culture'],
			goals: [16],
			targets: ['16.7', '16.a'],
			summary: { sv: 'Ale och Ghanzi.' },
			description: { en: '<p>Text</p>' },
			phases: [
				{ phase: 'inception', fromYear: 2019, toYear: 2019 },
				{ phase: 'active', fromYear: 2020, toYear: null }
			],
			team: [
				{ side: 'international', role: 'civil-servant', name: 'Kim Berg', title: { sv: 'Handläggare' } }
			],
			leadImageId: null,
			version: '2026-01-01T00:00:00.000Z'
		});
	});
	it('turns any posted form into a parsed partnership or a ValidationError, never anything else', () => {
		const field = fc.constantFrom(
			'status',
			'swedish',
			'international',
			'themes',
			'goals',
			'targets',
			'summary_sv',
			'summary_en',
			'description_sv',
			'phase_inception_from',
			'phase_active_to',
			'team_name',
			'team_side',
			'team_role',
			'team_title_sv',
			'leadImageId',
			'version'
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(field, fc.string({ maxLength: 40 })), { maxLength: 30 }), (pairs) => {
				const data = new FormData();
				for (const [k, v] of pairs) data.append(k, v);
				try {
					parsePartnershipForm(partnershipFormValues(data));
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			})
		);
	});
});
