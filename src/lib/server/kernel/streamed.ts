// Downloads too large to build in memory (every report of a city): written a batch at a time as
// the rows come from the database. The marker header tells the response's last step
// (cached-answer.ts) to compress as it streams instead of reading the whole body first.

/** Internal: a streamed body, compressed on the way out; never sent to the client. */
export const streamedHeader = 'x-streamed-download';

/** A body made of text pieces, each written as it is produced. */
export function streamedBody(pieces: AsyncIterable<string>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const iterator = pieces[Symbol.asyncIterator]();
	return new ReadableStream({
		async pull(controller) {
			const { value, done } = await iterator.next();
			if (done) controller.close();
			else controller.enqueue(encoder.encode(value));
		},
		async cancel() {
			await iterator.return?.();
		}
	});
}

/** A streamed download's response. */
export function streamedResponse(body: ReadableStream<Uint8Array>, type: string, fileName: string): Response {
	return new Response(body, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'no-store',
			[streamedHeader]: '1'
		}
	});
}
