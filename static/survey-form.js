// The survey form's one script (dialogue/<space>/surveys/<survey>), small for cheap phones: the
// page works without it, a part a page. With it, the later parts already in the page are shown
// in turn here (a question whose condition does not hold is switched off), and the response is
// sent at the end; one that cannot reach the server is kept on the phone (IndexedDB) and sent
// when the connection returns, with the form's one-time token, so the server stores it once.
// Plain JavaScript served as it is, like report-form.js (decision 20); texts come from the page.
(() => {
	const form = document.querySelector('form[data-survey-form]');
	if (!form) return;
	const text = form.dataset;
	const parts = [...form.querySelectorAll('[data-section]')];
	const sectionField = form.querySelector('[data-section-field]');
	const button = form.querySelector('[data-submit]');
	let at = parts.findIndex((p) => !p.hidden);

	const chosen = (question) =>
		[...form.querySelectorAll(`[name="a_${question}"]`)]
			.filter((i) => (i.type === 'hidden' || i.checked) && !i.matches(':disabled'))
			.map((i) => i.value);
	const shows = (q) =>
		!q.dataset.if || chosen(q.dataset.if).some((o) => q.dataset.ifOptions.split(' ').includes(o));
	/** Switches each question of a part on or off by its condition; whether any shows. */
	const prepare = (part) => {
		let any = false;
		for (const q of part.querySelectorAll('[data-question]')) {
			q.hidden = q.disabled = !shows(q);
			any ||= !q.hidden;
		}
		return any;
	};
	const later = () =>
		parts.slice(at + 1).findIndex((p) => [...p.querySelectorAll('[data-question]')].some(shows));
	const nextPart = () => {
		const i = later();
		if (i < 0) return -1;
		const part = parts[at + 1 + i];
		part.querySelector('fieldset').disabled = false;
		prepare(part);
		return at + 1 + i;
	};
	const label = () => {
		button.textContent = later() >= 0 ? text.next : text.send;
	};
	prepare(parts[at]);
	label();
	form.addEventListener('change', label);

	// The queue of responses kept on this phone, and its list on the page (phone-queue.js).
	const list = document.querySelector('[data-queue]');
	const { here, keep, post, render } = window.phoneQueue('platform-surveys', list, text);

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const next = nextPart();
		if (next >= 0) {
			// The next part, here: the answers given so far stay in the form, hidden.
			parts[at].hidden = true;
			at = next;
			parts[at].hidden = false;
			label();
			parts[at].querySelector('h2').focus();
			return;
		}
		sectionField.value = parts[parts.length - 1].dataset.section;
		const fields = [...new FormData(form).entries()];
		const clientId = form.elements.namedItem('clientId').value;
		const save = async () => {
			await keep({ clientId, action: here, fields, state: 'waiting', savedAt: Date.now() });
			form.hidden = true;
			await render();
			list.querySelector('h2').focus();
		};
		if (!navigator.onLine) return save();
		button.disabled = true;
		const result = await post(fields);
		button.disabled = false;
		if (result.kind === 'unsent') return save();
		if (result.kind === 'sent') return location.assign(result.location);
		// Refused: sent the plain way, so the page shows every message at its question as typed.
		form.submit();
	});
})();
