import { expect } from 'vitest';

/** The METRICS_TOKEN the process tests start their instances with (32 characters or more). */
export const metricsToken = 'process-tests-metrics-token-0123456789';

/** /metrics with the token: the Prometheus text. */
export async function scrape(url: string): Promise<string> {
	const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('text/plain');
	return res.text();
}

/** The value of one series (name and exactly these labels); 0 when the series is absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
	for (const line of text.split('\n')) {
		const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match || match[1] !== name) continue;
		const found = Object.fromEntries(
			[...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])
		);
		const wanted = Object.entries(labels);
		if (wanted.length === Object.keys(found).length && wanted.every(([k, v]) => found[k] === v)) {
			return Number(match[3]);
		}
	}
	return 0;
}
