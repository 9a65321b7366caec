import { deserialize } from '$app/forms';

// Reports kept on the phone while they cannot be sent (no connection, or a connection that drops
// on the way), in IndexedDB, and sent when the connection returns. Each carries the id the phone
// made for it (`clientId`), so a sending repeated after a lost answer is stored once by the server.
// Browser code only, beside the one page that uses it.

export type QueuedState = 'waiting' | 'sent' | 'failed';

export interface QueuedReport {
	clientId: string;
	/** The address the form posts to (the page's own, in its language). */
	action: string;
	/** The form's fields as sent: text, and the photo as a file. */
	fields: [string, string | File][];
	state: QueuedState;
	/** Why it failed (the server's messages), or null. */
	message: string | null;
	/** Where the sent report can be read. */
	location: string | null;
	savedAt: number;
}

const dbName = 'platform-reports';
const storeName = 'queue';

function openQueue(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(dbName, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(storeName, { keyPath: 'clientId' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function inStore<T>(
	mode: IDBTransactionMode,
	work: (store: IDBObjectStore) => IDBRequest<T>
): Promise<T> {
	const db = await openQueue();
	try {
		return await new Promise<T>((resolve, reject) => {
			const tx = db.transaction(storeName, mode);
			const request = work(tx.objectStore(storeName));
			tx.oncomplete = () => resolve(request.result);
			tx.onerror = () => reject(tx.error);
			tx.onabort = () => reject(tx.error);
		});
	} finally {
		db.close();
	}
}

/** Every report kept on this phone, oldest first. */
export async function queuedReports(): Promise<QueuedReport[]> {
	const all = await inStore<QueuedReport[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedReport[]>);
	return all.sort((a, b) => a.savedAt - b.savedAt);
}

export const keepReport = (report: QueuedReport) => inStore('readwrite', (s) => s.put(report));
export const forgetReport = (clientId: string) => inStore('readwrite', (s) => s.delete(clientId));

/** A form's fields as they can be kept (FormData itself cannot be stored). */
export const fieldsOf = (form: FormData): [string, string | File][] =>
	[...form.entries()].map(([name, value]) => [name, value]);

/** What posting a form led to: the server's answer, or no answer at all (the connection). */
export type Sending =
	| { kind: 'sent'; location: string }
	| { kind: 'refused'; message: string; result: ReturnType<typeof deserialize> }
	| { kind: 'unsent' };

/** Posts the fields as the page's form action does, asking for the answer as data. */
export async function post(action: string, fields: [string, string | File][]): Promise<Sending> {
	const body = new FormData();
	for (const [name, value] of fields) body.append(name, value);
	let text: string;
	try {
		const response = await fetch(action, {
			method: 'POST',
			body,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		text = await response.text();
	} catch {
		return { kind: 'unsent' };
	}
	let result: ReturnType<typeof deserialize>;
	try {
		result = deserialize(text);
	} catch {
		// Not the app's answer (a captive portal's page, a proxy's error): as good as no answer.
		return { kind: 'unsent' };
	}
	if (result.type === 'redirect') return { kind: 'sent', location: result.location };
	if (result.type === 'failure') {
		const data = result.data as { problems?: { message: string }[] } | undefined;
		return { kind: 'refused', message: (data?.problems ?? []).map((p) => p.message).join(' '), result };
	}
	if (result.type === 'error')
		return { kind: 'refused', message: String(result.error?.message ?? ''), result };
	return { kind: 'unsent' };
}

/** Sends every waiting report; each ends sent, failed (with why) or still waiting. */
export async function sendWaiting(): Promise<QueuedReport[]> {
	for (const report of await queuedReports()) {
		if (report.state !== 'waiting') continue;
		const sending = await post(report.action, report.fields);
		if (sending.kind === 'unsent') break;
		await keepReport({
			...report,
			// A sent report's photo and text need not stay on the phone.
			fields: sending.kind === 'sent' ? [] : report.fields,
			state: sending.kind === 'sent' ? 'sent' : 'failed',
			location: sending.kind === 'sent' ? sending.location : null,
			message: sending.kind === 'refused' ? sending.message : null
		});
	}
	return queuedReports();
}
