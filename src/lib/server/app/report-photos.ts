import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import type { Actor } from '../kernel/policy.ts';
import type { TextOnly } from '../media/admission.ts';
import type { MediaStore } from '../media/store.ts';
import { RepeatedSending, submitReport, type SubmitReportResult } from '../dialogue/map-reports/commands.ts';
import { reportFormValues } from '../dialogue/map-reports/input.ts';
import { withPhotos } from './proposal-photos.ts';

// A resident's report on a map with a photo: the same media pipeline as a proposal's photo
// (checked by its bytes, re-encoded without metadata, stored before the transaction, removed
// again if the report is not stored), marked as a report's so that only the report decides who
// sees it (dialogue/map-reports/photo-access.ts).

/** The pipeline's problems name the proposal form's photo fields: here they are the report's. */
const asReportFields = (e: unknown): unknown =>
	e instanceof ValidationError && e.scope === 'dialogue'
		? new ValidationError(
				(e as ValidationError<'dialogue'>).problems.map((p) => ({
					...p,
					field: p.field.replace(/^proposalPhoto/, 'reportPhoto')
				})),
				'dialogue'
			)
		: e;

export async function submitReportWithPhoto(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	form: FormData | Record<string, unknown>,
	options: { ip?: string | null; locale: string }
): Promise<SubmitReportResult> {
	try {
		return await withPhotos(
			store,
			(photos) => submitReport(db, actor, slug, form, { ...options, photos }),
			'map-report'
		);
	} catch (e) {
		// Sent before: the photo this sending stored is gone again; the earlier report stands.
		if (e instanceof RepeatedSending) return { id: e.id, repeated: true };
		throw asReportFields(e);
	}
}

/** What was typed into a report form read without its photo (a busy upload queue), to show again. */
export function reportTypedWithoutPhoto(sent: TextOnly): ReturnType<typeof reportFormValues> {
	return { ...reportFormValues(sent.form), photoSent: sent.files.has('reportPhoto') };
}
