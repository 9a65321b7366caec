import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import { runCommand } from '../kernel/write.ts';
import { organization } from '../organizations/schema.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';

/** What the form shows for a refused change, in Swedish and English ("field: message"). */
const shown = (e: unknown) => {
	expect(e).toBeInstanceOf(ValidationError);
	return (['sv', 'en'] as const).map((l) =>
		problemsIn(e as ValidationError, l).map((p) => `${p.field}: ${p.message}`)
	);
};

describe.each(testDatabases)('a unique violation answers like validation on $name', (database) => {
	let h: DatabaseHandle;
	let editor: TestActor;

	beforeAll(async () => {
		h = await database.open();
		editor = await anActor(h.db, 'editor');
	});
	afterAll(() => h?.close());

	/** A change whose check could not see the row it collides with (as in a race). */
	const duplicateOrganization = (unique?: Record<string, ValidationError>) =>
		anOrganization(h.db).then(({ slug }) =>
			runCommand(h.db, editor, {
				rule: partnershipsPolicy.create,
				parse: () => ({}),
				unique,
				work: async (tx) => {
					await tx
						.insert(organization)
						.values({ slug, kind: 'district', name: { sv: 'X', en: 'X' }, country: 'BW' });
					return { result: undefined, audit: [], public: false };
				}
			})
		);

	it('names the field a module declared for the constraint, and nothing is saved', async () => {
		const declared = new ValidationError([{ field: 'members', code: 'createdMeanwhile' }], 'partnerships');
		const error = await duplicateOrganization({ organization_slug_unique: declared }).catch(
			(e: unknown) => e
		);
		expect(error).toBe(declared);
		expect(shown(error)).toEqual([
			[
				'members: Parter: Någon annan skapade nyss ett partnerskap mellan de här organisationerna. Ladda om listan och öppna det i stället.'
			],
			[
				'members: Members: Someone else just created a partnership between these organisations. Reload the list and open it instead.'
			]
		]);
	});

	it('answers an undeclared constraint with the form-level message, in both languages', async () => {
		const error = await duplicateOrganization().catch((e: unknown) => e);
		expect(shown(error)).toEqual([
			[
				'form: Formuläret: Någon annan sparade samma sak nyss. Ladda om sidan, se vad som sparades och försök igen om det behövs.'
			],
			[
				'form: The form: Someone else saved the same thing just now. Reload the page, see what was saved and try again if needed.'
			]
		]);
	});
});
