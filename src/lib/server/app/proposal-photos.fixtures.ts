// The proposal form as the proposal-photo tests send it (a fixture, not a test).

/** The proposal form as a browser sends it. */
export function proposalForm(
	title: string,
	photo?: { bytes: Uint8Array; name: string },
	extra: Record<string, string> = {}
): FormData {
	const form = new FormData();
	form.set('proposalTitle', title);
	form.set(
		'proposalBody',
		'Ett tak över cykelställen vid stationen skulle hålla sadlarna torra hela vintern.'
	);
	form.set('proposalPlace', 'Stationen');
	// A browser sends an empty file part when no file was chosen.
	form.set(
		'proposalPhoto',
		new File(photo ? [photo.bytes as Uint8Array<ArrayBuffer>] : [], photo?.name ?? '', {
			type: photo ? 'image/jpeg' : 'application/octet-stream'
		})
	);
	for (const [k, v] of Object.entries(extra)) form.set(k, v);
	return form;
}
