import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../kernel/errors.ts';
import { countriesOfRegion, placeCovers, regionsOfCountry, worldRegions } from './regions.ts';
import { isCountryCode } from '../kernel/countries.ts';
import {
	formRecord,
	isReplyToken,
	parseContactForm,
	parseModerationForm,
	parseProfileFilter,
	parseProfileForm,
	parseReplyForm,
	parseReportForm,
	profileFormValues,
	workingLanguages
} from './validation.ts';

const known = {
	themes: new Set(['participation', 'transparency', 'migration']),
	targets: new Set(['11.3', '16.7', '16.a', '5.5'])
};

const good = {
	themes: ['participation', 'transparency'],
	goals: ['16', '11'],
	targets: '16.7, 11.3',
	regions: ['africa', 'bw'],
	languages: ['sv', 'en'],
	offerSv: '  Vi erbjuder   dialog.\r\n\r\n\r\n\r\nOch mer. ',
	offerEn: '',
	seekSv: '',
	seekEn: 'A partner in Africa.',
	contactName: ' Anna  Andersson ',
	contactEmail: ' Anna@Example.SE '
};

/** The problems of a call as "field:code", or [] when it passes. */
function problems(run: () => unknown): string[] {
	try {
		run();
		return [];
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
}

describe('the profile form', () => {
	it('reads a filled-in form: lists de-duplicated, codes normalised, texts cleaned', () => {
		expect(parseProfileForm({ ...good, themes: [...good.themes, 'participation'] }, known)).toEqual({
			themes: ['participation', 'transparency'],
			goals: [16, 11],
			targets: ['16.7', '11.3'],
			regions: ['africa', 'BW'],
			languages: ['sv', 'en'],
			offer: { sv: 'Vi erbjuder   dialog.\n\nOch mer.' },
			seek: { en: 'A partner in Africa.' },
			contactName: 'Anna Andersson',
			contactEmail: 'anna@example.se'
		});
	});

	it('reads the same from a FormData, checkboxes and all', () => {
		const form = new FormData();
		for (const t of good.themes) form.append('themes', t);
		form.append('languages', 'sv');
		form.append('targets', '16.A');
		form.append('offerSv', 'Något');
		form.append('seekSv', 'Något annat');
		form.append('contactName', 'Anna');
		form.append('contactEmail', 'anna@example.se');
		const parsed = parseProfileForm(formRecord(form), known);
		expect(parsed.themes).toEqual(['participation', 'transparency']);
		expect(parsed.languages).toEqual(['sv']);
		expect(parsed.targets).toEqual(['16.a']);
	});

	it('names every bad field with a code of its own', () => {
		expect(
			problems(() =>
				parseProfileForm(
					{
						themes: ['sport'],
						goals: ['18'],
						targets: '16.7, 99.9',
						regions: ['atlantis'],
						languages: ['klingon'],
						offerSv: 'x'.repeat(2001),
						seekSv: ' ',
						seekEn: '',
						contactName: '',
						contactEmail: 'not an address'
					},
					known
				)
			)
		).toEqual([
			'themes:invalidTheme',
			'goals:invalidGoal',
			'targets:unknownTarget',
			'regions:invalidRegion',
			'languages:invalidLanguage',
			'offerSv:profileTextTooLong',
			'seekSv:textInOneLanguage',
			'contactName:required',
			'contactEmail:invalidEmail'
		]);
		expect(problems(() => parseProfileForm({}, known))).toEqual([
			'themes:required',
			'languages:required',
			'offerSv:textInOneLanguage',
			'seekSv:textInOneLanguage',
			'contactName:required',
			'contactEmail:required'
		]);
		expect(problems(() => parseProfileForm({ ...good, contactName: 'x'.repeat(101) }, known))).toEqual([
			'contactName:tooLong'
		]);
		expect(problems(() => parseProfileForm({ ...good, themes: 'participation' }, known))).toEqual([]);
	});

	it('gives back what was typed, to fill the form in again', () => {
		expect(profileFormValues({ ...good, themes: 'participation', extra: 'x' })).toEqual({
			...good,
			themes: ['participation']
		});
		expect(profileFormValues(null).themes).toEqual([]);
	});

	it('never fails with anything but a ValidationError, whatever is sent', () => {
		const value = fc.oneof(
			fc.string({ maxLength: 300, unit: 'binary' }),
			fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }),
			fc.constantFrom(...workingLanguages, 'participation', '16.7', 'africa', 'SE', '17', ''),
			fc.anything()
		);
		const field = fc.constantFrom(
			'themes',
			'goals',
			'targets',
			'regions',
			'languages',
			'offerSv',
			'offerEn',
			'seekSv',
			'seekEn',
			'contactName',
			'contactEmail',
			'__proto__',
			'other'
		);
		fc.assert(
			fc.property(fc.oneof(fc.dictionary(field, value), fc.anything()), (raw) => {
				try {
					const p = parseProfileForm(raw, known);
					expect(p.themes.length).toBeGreaterThan(0);
					expect(p.themes.every((t) => known.themes.has(t))).toBe(true);
					expect(p.goals.every((g) => Number.isInteger(g) && g >= 1 && g <= 17)).toBe(true);
					expect(p.targets.every((t) => known.targets.has(t))).toBe(true);
					expect(p.languages.length).toBeGreaterThan(0);
					expect(p.offer.sv || p.offer.en).toBeTruthy();
					expect(JSON.stringify(p)).not.toMatch(/\\u0000/);
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 1500 }
		);
	});

	it('keeps every valid form valid, with its text intact', () => {
		const text = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => /[\p{L}\p{N}]/u.test(s));
		fc.assert(
			fc.property(
				fc.subarray([...known.themes], { minLength: 1 }),
				fc.subarray([...workingLanguages], { minLength: 1 }),
				text,
				text,
				(themes, languages, offer, seek) => {
					const parsed = parseProfileForm(
						{ ...good, themes, languages, offerSv: offer, seekEn: seek },
						known
					);
					expect(parsed.themes).toEqual(themes);
					expect(parsed.languages).toEqual(languages);
					expect(parsed.offer.sv).toBeTruthy();
				}
			)
		);
	});
});

describe('the contact, answer, report and moderation forms', () => {
	it('take a message of 20 to 3,000 characters', () => {
		expect(parseContactForm({ message: '  Hej! Vi vill gärna samarbeta.  ' })).toEqual({
			organizationId: undefined,
			message: 'Hej! Vi vill gärna samarbeta.'
		});
		expect(parseContactForm({ message: 'x'.repeat(3000), organization: '12' }).organizationId).toBe(12);
		expect(problems(() => parseContactForm({ message: 'För kort' }))).toEqual([
			'message:contactMessageLength'
		]);
		expect(problems(() => parseContactForm({ message: 'x'.repeat(3001) }))).toEqual([
			'message:contactMessageLength'
		]);
		expect(problems(() => parseContactForm({ message: ' ', organization: 'abc' }))).toEqual([
			'organization:unknownOrganization',
			'message:required'
		]);
	});

	it('take an answer, a reason and a note of bounded length', () => {
		expect(parseReplyForm({ reply: ' Gärna! ' })).toEqual({ reply: 'Gärna!' });
		expect(problems(() => parseReplyForm({ reply: '' }))).toEqual(['reply:required']);
		expect(problems(() => parseReplyForm({ reply: 'x'.repeat(3001) }))).toEqual(['reply:tooLong']);
		expect(parseReportForm({ reason: 'Reklam' })).toEqual({ reason: 'Reklam' });
		expect(problems(() => parseReportForm({}))).toEqual(['reason:required']);
		expect(parseModerationForm({ profile: '3', note: '' })).toEqual({ profileId: 3, note: '' });
		expect(problems(() => parseModerationForm({ profile: '0', note: 'x'.repeat(501) }))).toEqual([
			'profile:required',
			'note:tooLong'
		]);
	});

	it('never fail with anything but a ValidationError', () => {
		const raw = fc.oneof(
			fc.dictionary(
				fc.constantFrom('message', 'organization', 'reply', 'reason', 'profile', 'note'),
				fc.oneof(fc.string({ maxLength: 3100, unit: 'binary' }), fc.anything())
			),
			fc.anything()
		);
		fc.assert(
			fc.property(raw, (r) => {
				for (const parse of [parseContactForm, parseReplyForm, parseReportForm, parseModerationForm]) {
					try {
						parse(r);
					} catch (e) {
						expect(e).toBeInstanceOf(ValidationError);
					}
				}
			}),
			{ numRuns: 1000 }
		);
	});

	it('recognise the shape of an answer token only', () => {
		expect(isReplyToken('a'.repeat(43))).toBe(true);
		expect(isReplyToken('abc_-'.repeat(8) + 'xyz')).toBe(true);
		expect(isReplyToken('a'.repeat(42))).toBe(false);
		expect(isReplyToken('a'.repeat(42) + '/')).toBe(false);
	});
});

describe('the listing filter', () => {
	const parse = (q: string) => parseProfileFilter(new URLSearchParams(q));
	it('reads every filter', () => {
		expect(
			parse('theme=participation&sdg=16.7&location=se&region=africa&language=sv&q=dialog&page=2')
		).toEqual({
			theme: 'participation',
			target: '16.7',
			location: 'SE',
			region: 'africa',
			language: 'sv',
			q: 'dialog',
			page: 2
		});
		expect(parse('sdg=11')).toEqual({ goal: 11, page: 1 });
		expect(parse('theme=&utm_source=x')).toEqual({ page: 1 });
	});

	it('names each bad parameter', () => {
		expect(
			problems(() =>
				parse('theme=x y&sdg=18&location=zz&region=mars&language=xx&page=0&q=' + 'a'.repeat(201))
			)
		).toEqual([
			'theme:invalidTheme',
			'sdg:invalidSdg',
			'location:invalidRegion',
			'region:invalidRegion',
			'language:invalidLanguage',
			'q:queryTooLong',
			'page:invalidPage'
		]);
		expect(problems(() => parse('region=SE&region=BW'))).toEqual(['region:repeated']);
	});

	it('never fails with anything but a ValidationError, whatever the query string', () => {
		const key = fc.constantFrom('theme', 'sdg', 'location', 'region', 'language', 'q', 'page', 'x');
		fc.assert(
			fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 250 })), { maxLength: 8 }), (pairs) => {
				try {
					const f = parseProfileFilter(new URLSearchParams(pairs));
					expect(f.page).toBeGreaterThanOrEqual(1);
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 1500 }
		);
	});
});

describe('world regions', () => {
	it('hold only real country codes, and almost every country is in one', () => {
		for (const region of worldRegions)
			for (const code of countriesOfRegion(region)) expect(isCountryCode(code), code).toBe(true);
		const unplaced = ['AQ', 'BV', 'CC', 'CX', 'GS', 'HM', 'IO', 'TF', 'UM'];
		for (const code of ['SE', 'BW', 'XK', 'ID', 'ZA', 'BR', 'US', 'FJ', 'JO'])
			expect(regionsOfCountry(code).length).toBeGreaterThan(0);
		for (const code of unplaced) expect(regionsOfCountry(code)).toEqual([]);
	});

	it('cover a country by itself or by its region', () => {
		expect(placeCovers('africa', 'BW')).toBe(true);
		expect(placeCovers('BW', 'bw')).toBe(true);
		expect(placeCovers('europe', 'BW')).toBe(false);
		expect(placeCovers('middle-east', 'TR') && placeCovers('europe', 'TR')).toBe(true);
	});
});
