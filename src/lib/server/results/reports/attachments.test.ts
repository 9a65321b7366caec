import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { auditLog } from '../../kernel/schema.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { anActor, anonymous, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aMediaStore } from '../../test/factories/media.ts';
import { addToLibrary } from '../../media/commands.ts';
import { tinyPdf } from '../../media/test-files.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { reportStep, saveReport, startReport } from './commands.ts';
import { field } from './input.ts';
import { annualReport } from './schema.ts';
import { attachmentAccess, attachToReport, detachFromReport, reportAttachmentsView } from './attachments.ts';

// The report's side of its attachments: who may add and remove them and when, what the page
// lists, and who may fetch one. (The file's way into the library and out: app/report-attachments.test.ts.)

const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];

describe.each(testDatabases)('attachments to a yearly report on $name', (database) => {
	let h: DatabaseHandle;
	let swedish: TestActor;
	let partner: TestActor;
	let member: TestActor;
	let author: TestActor;
	let editor: TestActor;
	let outsider: TestActor;
	let p: TestPartnership;
	const files = aMediaStore();

	beforeAll(async () => {
		h = await database.open();
		swedish = await anActor(h.db, 'reader', { name: 'Samordnare Ale' });
		partner = await anActor(h.db, 'reader', { name: 'Coordinator Ghanzi' });
		member = await anActor(h.db, 'reader');
		author = await anActor(h.db, 'author');
		editor = await anActor(h.db, 'editor');
		outsider = await anActor(h.db, 'reader');
		p = await aPartnership(h.db, { coordinators: [swedish.id, partner.id], members: [member.id] });
		await h.db.insert(organizationMember).values([
			{ organizationId: p.swedish[0]!, userId: swedish.id },
			{ organizationId: p.international[0]!, userId: partner.id }
		]);
		await startReport(h.db, swedish, p.slug, 2025);
	});
	afterAll(async () => {
		await h?.close();
		files.remove();
	});

	/** A PDF someone has just put into the library for a report (as the app does before attaching). */
	const reportFile = (who: TestActor, title = 'Protokoll') =>
		addToLibrary(h.db, files.store, who, {
			bytes: tinyPdf(title),
			fileName: `${title}.pdf`,
			alt: {},
			origin: 'report'
		});
	const reportId = async () => {
		const [row] = await h.db
			.select({ id: annualReport.id })
			.from(annualReport)
			.where(eq(annualReport.partnershipId, p.id));
		return row!.id;
	};
	const view = (who: Parameters<typeof reportAttachmentsView>[1], locale = 'sv') =>
		reportAttachmentsView(h.db, who, locale, p.slug, 2025);
	const complete = () => ({
		[field.lessons('en')]: 'Evening meetings drew more young residents.',
		[field.plans('en')]: 'Hold two meetings in the villages.',
		...Object.fromEntries(
			principles.flatMap((pr) => [
				[field.principleText(pr, 'en'), `What we did for ${pr}.`],
				[field.score(pr), '3']
			])
		)
	});

	it('lets a coordinator add and remove attachments to the draft, each audited', async () => {
		const minutes = await reportFile(swedish, 'Protokoll maj');
		await attachToReport(h.db, swedish, p.slug, 2025, {
			mediaId: minutes.id,
			title: { sv: 'Protokoll från maj' }
		});
		const plan = await reportFile(partner, 'Plan');
		await attachToReport(h.db, partner, p.slug, 2025, { mediaId: plan.id, title: {} });

		const seen = await view(swedish);
		expect(seen.canChange).toBe(true);
		// In the order they were added, by title; a file without a title is listed by its name.
		expect(seen.items.map((a) => a.title)).toEqual(['Protokoll från maj', 'plan.pdf']);
		expect(seen.items[0]).toMatchObject({
			kind: 'document',
			href: `/media/${minutes.storageKey}/protokoll-maj.pdf`,
			bytes: minutes.bytes
		});

		expect(await detachFromReport(h.db, partner, p.slug, 2025, { attachment: String(plan.id) })).toBe(
			plan.id
		);
		expect((await view(swedish)).items.map((a) => a.mediaId)).toEqual([minutes.id]);
		// Removed once: the second time it is no longer there.
		await expect(
			detachFromReport(h.db, partner, p.slug, 2025, { attachment: String(plan.id) })
		).rejects.toMatchObject({ problems: [{ field: 'attachment', code: 'unknownAttachment' }] });

		const actions = await h.db
			.select({ action: auditLog.action, actor: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `report:${await reportId()}`));
		expect(actions.map((a) => a.action).sort()).toEqual([
			'results.report-attachment-added',
			'results.report-attachment-added',
			'results.report-attachment-removed'
		]);
	});

	it("refuses those who may not write the report, and files that are not the writer's own for a report", async () => {
		const file = await reportFile(swedish, 'Egen');
		for (const who of [member, author, outsider]) {
			await expect(attachToReport(h.db, who, p.slug, 2025, { mediaId: file.id, title: {} })).rejects.toThrow(
				ForbiddenError
			);
			// A bad form from someone who may not is refused, not corrected.
			await expect(detachFromReport(h.db, who, p.slug, 2025, {})).rejects.toThrow(ForbiddenError);
		}
		await expect(
			attachToReport(h.db, anonymous, p.slug, 2025, { mediaId: file.id, title: {} })
		).rejects.toMatchObject({
			signInRequired: true
		});
		// Someone else's upload, or a file of the staff's library, is not theirs to attach.
		await expect(
			attachToReport(h.db, partner, p.slug, 2025, { mediaId: file.id, title: {} })
		).rejects.toThrow(ForbiddenError);
		const library = await addToLibrary(h.db, files.store, editor, {
			bytes: tinyPdf(),
			fileName: 'bibliotek.pdf',
			alt: {}
		});
		await expect(
			attachToReport(h.db, editor, p.slug, 2025, { mediaId: library.id, title: {} })
		).rejects.toThrow(ForbiddenError);
		// A year without a report says so, to those who may write it.
		await expect(
			attachToReport(h.db, swedish, p.slug, 2024, { mediaId: file.id, title: {} })
		).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportNotStarted' }]
		});
		expect((await view(swedish)).items.map((a) => a.title)).not.toContain('egen.pdf');
	});

	it('is one change: when the change it is part of fails, the attachment does not stay', async () => {
		const before = (await view(swedish)).items.length;
		const file = await reportFile(swedish, 'Halv');
		await expect(
			runSystemChange(h.db, async (tx) => {
				await attachToReport(tx, swedish, p.slug, 2025, { mediaId: file.id, title: {} });
				throw new Error('the change fails after the attachment');
			})
		).rejects.toThrow('the change fails');
		expect((await view(swedish)).items).toHaveLength(before);
	});

	it('shows a draft’s attachments only to its readers, and makes them public once it is approved', async () => {
		const [first] = (await view(swedish)).items;
		const access = (who: TestActor | null) => attachmentAccess(h.db, first!.mediaId, async () => who);
		expect(await access(null)).toBe('refused');
		expect(await access(outsider)).toBe('refused');
		// The partnership's people and the programme's staff read the report, so they fetch its files.
		for (const who of [swedish, member, author]) expect(await access(who)).toBe('allowed');
		await expect(view(null)).rejects.toMatchObject({ signInRequired: true });
		await expect(view(outsider)).rejects.toThrow(ForbiddenError);
		expect(await view(member)).toMatchObject({ canChange: false, items: [{ mediaId: first!.mediaId }] });
		// A file that is no report's: the library's own rules.
		const other = await reportFile(swedish, 'Ingen');
		expect(await attachmentAccess(h.db, other.id, async () => null)).toBe('none');

		// Submitted: locked like the figures, for the coordinators and for staff.
		await saveReport(h.db, swedish, p.slug, 2025, complete());
		await reportStep(h.db, swedish, p.slug, 2025, 'submit');
		expect((await view(swedish)).canChange).toBe(false);
		await expect(
			attachToReport(h.db, swedish, p.slug, 2025, { mediaId: other.id, title: {} })
		).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportNotEditable' }]
		});
		await expect(
			detachFromReport(h.db, editor, p.slug, 2025, { attachment: String(first!.mediaId) })
		).rejects.toMatchObject({ problems: [{ field: 'form', code: 'reportNotEditable' }] });
		expect(await access(null)).toBe('refused');

		// Approved by both sides and the programme: public with the report, whoever asks.
		await reportStep(h.db, swedish, p.slug, 2025, 'approve');
		await reportStep(h.db, partner, p.slug, 2025, 'approve');
		await reportStep(h.db, editor, p.slug, 2025, 'approve');
		expect(await attachmentAccess(h.db, first!.mediaId, () => Promise.reject(new Error('not asked')))).toBe(
			'public'
		);
		expect(await view(null, 'en')).toMatchObject({ canChange: false, items: [{ mediaId: first!.mediaId }] });

		// Reopened for a correction: private again, and open to change.
		await reportStep(h.db, editor, p.slug, 2025, 'reopen', { comment: 'A figure was wrong.' });
		expect(await access(null)).toBe('refused');
		expect((await view(swedish)).canChange).toBe(true);
	});
});
