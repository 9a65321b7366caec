// What the report and survey forms share (decision 20): sendings kept on this phone in IndexedDB
// while there is no connection, sent again with the same id when it returns (or the page is opened
// again), posted as the form would be to the same form action, asking SvelteKit for its answer as
// data; and the page's list of them. Plain JavaScript served as it is.
/** The queue of one form: its store, the page's list (`list`, a section with a ul) and its texts. */
window.phoneQueue = (database, list, text) => {
	const store = (mode, work) =>
		new Promise((resolve, reject) => {
			const open = indexedDB.open(database, 1);
			open.onupgradeneeded = () => open.result.createObjectStore('queue', { keyPath: 'clientId' });
			open.onerror = () => reject(open.error);
			open.onsuccess = () => {
				const tx = open.result.transaction('queue', mode);
				const request = work(tx.objectStore('queue'));
				tx.oncomplete = () => {
					open.result.close();
					resolve(request.result);
				};
				tx.onerror = tx.onabort = () => reject(tx.error);
			};
		});
	const here = location.pathname;

	/** SvelteKit's answer to a form posted as data: its `data` is devalue's flat form. */
	const unflatten = (flat) => {
		const values = JSON.parse(flat);
		const read = (i) => {
			const v = values[i];
			if (Array.isArray(v)) return v.map(read);
			if (v && typeof v === 'object')
				return Object.fromEntries(Object.entries(v).map(([k, j]) => [k, read(j)]));
			return v;
		};
		return read(0);
	};

	const queued = async () =>
		(await store('readonly', (s) => s.getAll()))
			.filter((r) => r.action === here)
			.sort((a, b) => a.savedAt - b.savedAt);
	const keep = (sending) => store('readwrite', (s) => s.put(sending));
	const forget = (id) => store('readwrite', (s) => s.delete(id));

	/** Posts the fields as the form would: sent (where to), refused (why), or unsent (no answer). */
	const post = async (fields) => {
		const body = new FormData();
		for (const [name, value] of fields) body.append(name, value);
		let answer;
		try {
			const response = await fetch(here, {
				method: 'POST',
				body,
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
			});
			answer = JSON.parse(await response.text());
		} catch {
			return { kind: 'unsent' };
		}
		if (answer.type === 'redirect') return { kind: 'sent', location: answer.location };
		if (answer.type === 'failure') {
			const problems = answer.data ? (unflatten(answer.data).problems ?? []) : [];
			return { kind: 'refused', message: problems.map((p) => p.message).join(' ') };
		}
		return { kind: 'refused', message: answer.error?.message ?? '' };
	};

	/** The page's list of what this phone keeps: each sending's state, a link once sent (where `text.see` names it). */
	const render = async () => {
		const kept = await queued();
		list.hidden = kept.length === 0;
		list.querySelector('ul').replaceChildren(
			...kept.map((r) => {
				const li = document.createElement('li');
				const status = document.createElement('span');
				status.setAttribute('role', 'status');
				status.textContent = {
					waiting: text.waiting,
					sent: text.sent,
					failed: `${text.failed} ${r.message ?? ''}`
				}[r.state];
				li.append(status);
				if (r.state === 'sent' && text.see && r.location) {
					const a = document.createElement('a');
					a.href = r.location;
					a.textContent = text.see;
					li.append(' ', a);
				}
				if (r.summary) {
					const small = document.createElement('span');
					small.className = 'small';
					small.textContent = r.summary;
					li.append(document.createElement('br'), small);
				}
				if (r.state !== 'waiting') {
					const button = document.createElement('button');
					button.type = 'button';
					button.className = 'secondary';
					button.textContent = text.forget;
					button.addEventListener('click', () => forget(r.clientId).then(render));
					li.append(' ', button);
				}
				return li;
			})
		);
	};

	/** Sends what waits, oldest first, until one cannot reach the server; the same id each time. */
	let sending = false;
	const sendWaiting = async () => {
		if (sending || !navigator.onLine) return;
		sending = true;
		try {
			for (const kept of await queued()) {
				if (kept.state !== 'waiting') continue;
				const result = await post(kept.fields);
				if (result.kind === 'unsent') break;
				// A sent sending's photo and text need not stay on the phone.
				await keep({
					...kept,
					fields: result.kind === 'sent' ? [] : kept.fields,
					state: result.kind === 'sent' ? 'sent' : 'failed',
					location: result.kind === 'sent' ? result.location : null,
					message: result.kind === 'refused' ? result.message : null
				});
			}
		} finally {
			sending = false;
		}
		await render();
	};
	render().then(sendWaiting);
	window.addEventListener('online', sendWaiting);

	return { here, keep, post, render };
};
