import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { forApi, problemsIn } from './http.ts';

// The size of a 120-megapixel photo and the default limit, as process.ts reports them.
const tooLarge = () =>
	new ValidationError(
		[
			{
				field: 'file',
				code: 'imageTooLarge',
				params: { width: 12000, height: 10000, megapixels: 120, limit: 100 }
			}
		],
		'media'
	);

describe('problemsIn', () => {
	it('fills a message with its values, the numbers written as each language writes them', () => {
		// Swedish groups thousands with a no-break space, English with a comma.
		expect(problemsIn(tooLarge(), 'sv')).toEqual([
			{
				field: 'file',
				message:
					'Fil: Bilden är 12\u00a0000 × 10\u00a0000 pixlar (120 megapixlar); gränsen är 100 megapixlar. Gör den mindre och ladda upp den igen.'
			}
		]);
		expect(problemsIn(tooLarge(), 'en')).toEqual([
			{
				field: 'file',
				message:
					'File: The image is 12,000 × 10,000 pixels (120 megapixels); the limit is 100 megapixels. Make it smaller and upload it again.'
			}
		]);
	});

	it('leaves a message without values as it is, and puts text values in unchanged', () => {
		const plain = new ValidationError([{ field: 'file', code: 'fileTooLarge' }], 'media');
		expect(problemsIn(plain, 'en')).toEqual([
			{ field: 'file', message: 'File: The file may be at most 10 MB.' }
		]);
		const text = new ValidationError(
			[{ field: 'file', code: 'imageTooLarge', params: { width: '12000', height: 10000 } }],
			'media'
		);
		const [shown] = problemsIn(text, 'en');
		expect(shown!.message).toContain('The image is 12000 × 10,000 pixels');
		// A value that was not given keeps its placeholder rather than reading "undefined".
		expect(shown!.message).toContain('({megapixels} megapixels)');
	});

	it('gives the API the same filled-in sentence', async () => {
		const answer = await forApi('en', () => Promise.reject(tooLarge()));
		expect(answer.status).toBe(400);
		const body = (await answer.json()) as { error: { message: string; field: string } };
		expect(body.error.field).toBe('file');
		expect(body.error.message).toBe(
			'File: The image is 12,000 × 10,000 pixels (120 megapixels); the limit is 100 megapixels. Make it smaller and upload it again.'
		);
	});
});
