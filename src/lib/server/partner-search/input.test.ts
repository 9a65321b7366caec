import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import {
	contactShape,
	moderationShape,
	profileFormValues,
	readProfileFilter,
	readProfileForm,
	readReplyToken,
	replyShape,
	reportShape,
	workingLanguages
} from './input.ts';

const good = {
	organization: '7',
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

/** The problems the profile form's reading found, as "field:code". */
const profileProblems = (raw: Record<string, unknown>) =>
	readProfileForm(raw).problems.map((p) => `${p.field}:${String(p.code)}`);

const formData = (fields: Record<string, string | string[]>) => {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
	return form;
};

describe('the profile form', () => {
	it('reads a filled-in form: lists de-duplicated, codes normalised, texts cleaned', () => {
		expect(readProfileForm({ ...good, themes: [...good.themes, 'participation'] })).toEqual({
			organizationId: 7,
			input: {
				organizationId: 7,
				themes: ['participation', 'transparency'],
				goals: [16, 11],
				targets: ['16.7', '11.3'],
				regions: ['africa', 'BW'],
				languages: ['sv', 'en'],
				offer: { sv: 'Vi erbjuder   dialog.\n\nOch mer.' },
				seek: { en: 'A partner in Africa.' },
				contactName: 'Anna Andersson',
				contactEmail: 'anna@example.se'
			},
			problems: [],
			tags: { themes: ['participation', 'transparency'], targets: ['16.7', '11.3'] }
		});
	});

	it('reads the same from a FormData, checkboxes and all (one checked box is a list of one)', () => {
		const form = formData({
			organization: '7',
			themes: good.themes,
			languages: 'sv',
			targets: '16.A',
			offerSv: 'Något',
			seekSv: 'Något annat',
			contactName: 'Anna',
			contactEmail: 'anna@example.se'
		});
		const { input } = readProfileForm(form);
		expect(input?.themes).toEqual(['participation', 'transparency']);
		expect(input?.languages).toEqual(['sv']);
		expect(input?.targets).toEqual(['16.a']);
		expect(readProfileForm(formData({ ...good, themes: 'participation' })).input?.themes).toEqual([
			'participation'
		]);
	});

	it('names every bad field with a code of its own', () => {
		expect(
			profileProblems({
				organization: '7',
				themes: ['Sport!'],
				goals: ['18'],
				targets: '16.7, 99.9',
				regions: ['atlantis'],
				languages: ['klingon'],
				offerSv: 'x'.repeat(2001),
				seekSv: ' ',
				seekEn: '',
				contactName: '',
				contactEmail: 'not an address'
			})
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
		expect(profileProblems({ organization: '7' })).toEqual([
			'themes:required',
			'languages:required',
			'offerSv:textInOneLanguage',
			'seekSv:textInOneLanguage',
			'contactName:required',
			'contactEmail:required'
		]);
		expect(profileProblems({ ...good, contactName: 'x'.repeat(101) })).toEqual(['contactName:tooLong']);
		expect(
			profileProblems({
				...good,
				themes: Array(61)
					.fill(0)
					.map((_, i) => `t${i}`)
			})
		).toEqual(['themes:tooLong']);
		// A form for no organization is refused before anything else.
		expect(problems(() => readProfileForm({ ...good, organization: 'x' }))).toEqual([
			'organization:unknownOrganization'
		]);
	});

	it('gives back what was typed, to fill the form in again', () => {
		const { organization: _, ...typed } = good;
		expect(profileFormValues(formData({ ...good, themes: 'participation', extra: 'x' }))).toEqual({
			...typed,
			themes: ['participation']
		});
		expect(profileFormValues(new FormData()).themes).toEqual([]);
	});

	it('never fails with anything but a ValidationError, whatever is sent', () => {
		const value = fc.oneof(
			fc.string({ maxLength: 300, unit: 'binary' }),
			fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }),
			fc.constantFrom(...workingLanguages, 'participation', '16.7', 'africa', 'SE', '17', ''),
			fc.anything()
		);
		const field = fc.constantFrom(
			'organization',
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
			fc.property(fc.dictionary(field, value), fc.boolean(), (raw, withOrganization) => {
				try {
					const { input, problems } = readProfileForm(withOrganization ? { ...raw, organization: '3' } : raw);
					if (!input) {
						expect(problems.length).toBeGreaterThan(0);
						return;
					}
					expect(input.themes.length).toBeGreaterThan(0);
					expect(input.themes.every((t) => /^[a-z][a-z0-9-]*$/.test(t))).toBe(true);
					expect(input.goals.every((g) => Number.isInteger(g) && g >= 1 && g <= 17)).toBe(true);
					expect(input.targets.every((t) => /^\d{1,2}\.(\d{1,2}|[a-z])$/.test(t))).toBe(true);
					expect(input.languages.length).toBeGreaterThan(0);
					expect(input.offer.sv || input.offer.en).toBeTruthy();
					expect(JSON.stringify(input)).not.toMatch(/\\u0000/);
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
				fc.subarray(['participation', 'transparency', 'migration'], { minLength: 1 }),
				fc.subarray([...workingLanguages], { minLength: 1 }),
				text,
				text,
				(themes, languages, offer, seek) => {
					const { input } = readProfileForm({ ...good, themes, languages, offerSv: offer, seekEn: seek });
					expect(input?.themes).toEqual(themes);
					expect(input?.languages).toEqual(languages);
					expect(input?.offer.sv).toBeTruthy();
				}
			)
		);
	});
});

describe('the contact, answer, report and moderation forms', () => {
	const read = <S extends Parameters<typeof readForm>[1]>(raw: Record<string, unknown>, shape: S) =>
		readForm(raw, shape, 'partnerSearch');

	it('take a message of 20 to 3,000 characters', () => {
		expect(read({ message: '  Hej! Vi vill gärna samarbeta.  ' }, contactShape)).toEqual({
			message: 'Hej! Vi vill gärna samarbeta.'
		});
		expect(read({ message: 'x'.repeat(3000), organization: '12' }, contactShape).organization).toBe(12);
		expect(problems(() => read({ message: 'För kort' }, contactShape))).toEqual([
			'message:contactMessageLength'
		]);
		expect(problems(() => read({ message: 'x'.repeat(3001) }, contactShape))).toEqual([
			'message:contactMessageLength'
		]);
		expect(problems(() => read({ message: ' ', organization: 'abc' }, contactShape))).toEqual([
			'organization:unknownOrganization',
			'message:required'
		]);
	});

	it('take an answer, a reason and a note of bounded length', () => {
		expect(read({ reply: ' Gärna! ' }, replyShape)).toEqual({ reply: 'Gärna!' });
		expect(problems(() => read({ reply: '' }, replyShape))).toEqual(['reply:required']);
		expect(problems(() => read({ reply: 'x'.repeat(3001) }, replyShape))).toEqual(['reply:tooLong']);
		expect(read({ reason: 'Reklam' }, reportShape)).toEqual({ reason: 'Reklam' });
		expect(problems(() => read({}, reportShape))).toEqual(['reason:required']);
		expect(read({ profile: '3', note: '' }, moderationShape)).toEqual({ profile: 3, note: '' });
		expect(problems(() => read({ profile: '0', note: 'x'.repeat(501) }, moderationShape))).toEqual([
			'profile:required',
			'note:tooLong'
		]);
	});

	it('never fail with anything but a ValidationError', () => {
		const raw = fc.dictionary(
			fc.constantFrom('message', 'organization', 'reply', 'reason', 'profile', 'note'),
			fc.oneof(fc.string({ maxLength: 3100, unit: 'binary' }), fc.anything())
		);
		fc.assert(
			fc.property(raw, (r) => {
				for (const shape of [contactShape, replyShape, reportShape, moderationShape]) {
					try {
						read(r, shape);
					} catch (e) {
						expect(e).toBeInstanceOf(ValidationError);
					}
				}
			}),
			{ numRuns: 1000 }
		);
	});

	it('take an answer token of the shape handed out only; any other is a link to nothing', () => {
		expect(readReplyToken('a'.repeat(43))).toBe('a'.repeat(43));
		expect(readReplyToken('abc_-'.repeat(8) + 'xyz')).toBe('abc_-'.repeat(8) + 'xyz');
		expect(() => readReplyToken('a'.repeat(42))).toThrow(NotFoundError);
		expect(() => readReplyToken('a'.repeat(42) + '/')).toThrow(NotFoundError);
	});
});

describe('the listing filter', () => {
	const parse = (q: string) => readProfileFilter(new URLSearchParams(q));
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
					const f = readProfileFilter(new URLSearchParams(pairs));
					expect(f.page).toBeGreaterThanOrEqual(1);
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 1500 }
		);
	});
});
