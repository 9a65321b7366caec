// What the report and survey forms share (decision 20): sendings kept on this phone in IndexedDB
// while there is no connection, and a sending posted as the form would be, to the same form
// action, asking SvelteKit for its answer as data. Plain JavaScript served as it is.
window.phoneQueue = (database) => {
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

	return {
		here,
		/** This page's sendings, oldest first. */
		queued: async () =>
			(await store('readonly', (s) => s.getAll()))
				.filter((r) => r.action === here)
				.sort((a, b) => a.savedAt - b.savedAt),
		keep: (sending) => store('readwrite', (s) => s.put(sending)),
		forget: (id) => store('readwrite', (s) => s.delete(id)),
		/** Posts the fields as the form would: sent (where to), refused (why), or unsent (no answer). */
		post: async (fields) => {
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
		}
	};
};
