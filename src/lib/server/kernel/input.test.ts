import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { isHttpError } from '@sveltejs/kit';
import { requestPasswordReset } from 'better-auth/api';
import { messages } from '#lib/i18n/index.ts';
import { ValidationError } from './errors.ts';
import { routeSources } from '../test/route-sources.ts';
import {
	fields,
	formValues,
	line,
	paragraphs,
	readForm,
	readParam,
	readQuery,
	requestForm,
	typedValues
} from './input.ts';

// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const form = (entries: [string, string | File][]) => {
	const f = new FormData();
	for (const [name, value] of entries) f.append(name, value);
	return f;
};

describe('control characters in what people send', () => {
	const shape = {
		token: z.string().max(200),
		password: z.string().max(1000),
		title: line(200).optional(),
		body: paragraphs(1000).optional(),
		tags: fields.list(z.string(), 5),
		email: fields.email.optional()
	};

	it('never passes NUL or another control character on, in any kind of field', () => {
		const read = readForm(
			form([
				['token', 'abc\u0000def'],
				['password', 'lösen\u0000ord\u001b'],
				['title', 'Rubrik\u0000med\u0007klocka'],
				['body', 'Stycke ett\twith tab\r\n\u000bStycke två\u007f'],
				['tags', 'a\u0000'],
				['tags', 'b']
			]),
			shape
		);
		expect(read.token).toBe('abc def');
		expect(read.password).toBe('lösen ord ');
		expect(read.title).toBe('Rubrik med klocka');
		// A textarea keeps its tabs and line breaks.
		expect(read.body).toBe('Stycke ett\twith tab\n Stycke två');
		expect(read.tags).toEqual(['a ', 'b']);
	});

	it('refuses an address with a control character as an address, with its own message', () => {
		try {
			readForm(
				form([
					['token', 'x'],
					['password', 'y'],
					['email', 'anna\u0000@example.se']
				]),
				shape
			);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).problems).toEqual([{ field: 'email', code: 'invalidEmail' }]);
		}
	});

	it('cleans query parameters, route parameters, what is shown again, and file names', () => {
		const q = readQuery(new URLSearchParams('q=%00dialog%01&page=2'), {
			q: fields.query.optional(),
			page: fields.page.optional()
		});
		expect(q).toEqual({ q: 'dialog', page: 2 });
		expect(() => readParam('ale\u0000kommun', fields.slug, 'slug')).toThrow(ValidationError);
		expect(typedValues(form([['name', 'Anna\u0000']]))).toEqual({ name: 'Anna ' });
		const raw = formValues(
			form([['file', new File(['x'], 'rapport\u0000.pdf', { type: 'application/pdf' })]]),
			{
				file: fields.file
			}
		);
		expect((raw.file as File).name).toBe('rapport .pdf');
		expect((raw.file as File).type).toBe('application/pdf');
	});

	it('passes nothing on that PostgreSQL or XML would refuse, whatever is sent', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 4 }), (values) => {
				const raw = formValues(form(values.map((v) => ['tags', v])), { tags: fields.list(z.string(), 9) });
				for (const v of raw.tags as string[]) expect(v).not.toMatch(control);
				const query = new URLSearchParams(values.map((v) => ['tags', v]));
				for (const v of readQuery(query, { tags: fields.list(z.string(), 9) }).tags) {
					expect(v).not.toMatch(control);
				}
			})
		);
	});
});

describe('a body that is not a form', () => {
	const post = (path: string, contentType: string | null, body: BodyInit | null) =>
		new Request(`http://localhost${path}`, {
			method: 'POST',
			headers: contentType ? { 'content-type': contentType } : {},
			body,
			duplex: 'half'
		} as RequestInit);
	const part = '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nanna@example.se';

	it.each([
		['a multipart body without a boundary', 'multipart/form-data', part],
		['an empty boundary', 'multipart/form-data; boundary=', part],
		['an unterminated body', 'multipart/form-data; boundary=x', part],
		['an empty multipart body', 'multipart/form-data; boundary=x', ''],
		['another content type', 'text/plain', 'email=anna@example.se']
	])('is answered with 400 and a message: %s', async (_what, type, body) => {
		for (const [path, locale] of [
			['/sign-in', 'sv'],
			['/en/sign-in', 'en']
		] as const) {
			const answer = await requestForm(post(path, type, body)).then(
				() => null,
				(e: unknown) => e
			);
			expect(isHttpError(answer, 400), path).toBe(true);
			expect((answer as { body: { message: string } }).body.message).toBe(
				messages(locale).errors.unreadableForm
			);
		}
	});

	it('is null when the body could not be read at all (too large: an upload says so)', async () => {
		const tooLarge = Object.assign(new Error('Payload Too Large'), { status: 413 });
		const body = new ReadableStream({ start: (c) => c.error(tooLarge) });
		expect(await requestForm(post('/admin/media', 'multipart/form-data; boundary=x', body))).toBeNull();
	});

	it('is how every form action reads its body (the browser tests send broken bodies to a few each)', () => {
		const offenders = routeSources(/^\+page\.server\.(ts|js)$/)
			.filter(({ source }) => /request\.(formData|text|json|arrayBuffer|blob)\(|request\.body\b/.test(source))
			.map(({ file }) => file);
		expect(offenders).toEqual([]);
	});

	it('reads a well-formed form', async () => {
		const read = await requestForm(post('/sign-in', 'application/x-www-form-urlencoded', 'email=a%40b.se'));
		expect(read?.get('email')).toBe('a@b.se');
	});
});

describe('the shared email field', () => {
	// What the auth library checks an address with before it looks it up (a password reset).
	const library = (email: string) => requestPasswordReset.options.body!.safeParse({ email }).success;

	it('accepts only addresses the auth library accepts, and refuses the ones the library refuses', () => {
		const addresses = [
			'anna@example.se',
			'Anna.Andersson@Example.SE',
			'  anna@example.se ',
			'anna+nyhetsbrev@kommun.example.se',
			"o'neil@example.org",
			'a@b',
			'a@b.c',
			'åäö@exempel.se',
			'anna@räksmörgås.se',
			'anna@xn--rksmrgs-5wao1o.se',
			'"anna andersson"@example.se',
			'anna@[192.168.0.1]',
			'anna@localhost',
			'anna..andersson@example.se',
			'.anna@example.se',
			'anna@-example.se',
			'anna@example.se\u0000',
			`${'a'.repeat(250)}@example.se`,
			'anna@example.se\n',
			'anna@exa_mple.se'
		];
		for (const address of addresses) {
			const ours = fields.email.safeParse(address);
			// The field trims and lower-cases first; the library is asked about what we pass on.
			if (ours.success) expect(library(ours.data), address).toBe(true);
		}
		for (const refused of ['a@b', 'åäö@exempel.se', 'anna@räksmörgås.se']) {
			expect(fields.email.safeParse(refused).success, refused).toBe(false);
		}
	});

	it('never accepts what the library refuses, whatever is typed', () => {
		fc.assert(
			fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 40 })), (address) => {
				const ours = fields.email.safeParse(address);
				if (ours.success) expect(library(ours.data)).toBe(true);
			}),
			{ numRuns: 500 }
		);
	});
});
