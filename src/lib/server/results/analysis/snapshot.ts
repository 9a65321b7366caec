import type { LocalizedText } from '../../kernel/localized.ts';
import type { Light } from '../reports/light.ts';

// What a published version of the yearly analysis holds: every figure and text the page shows, in
// every language, as it was at publication. Only types here: the table (schema.ts) is typed by it
// and views.ts builds it, so neither has to know the other.

/** Shares of the way to the target (the dashboard's buckets; views.ts checks they stay the same). */
export type SnapshotBucket = 'q1' | 'q2' | 'q3' | 'q4' | 'reached' | 'unknown';

export interface SnapshotQuote {
	/** The partnership's name (Swedish side first) and address part, as they were. */
	partnership: LocalizedText;
	slug: string;
	/** The excerpt staff chose, or the whole text, per language. */
	text: LocalizedText;
	score: number | null;
}

export interface SnapshotPrinciple {
	key: string;
	name: LocalizedText;
	/** How many approved reports gave each score 1–5, their number and mean. */
	counts: number[];
	total: number;
	mean: number | null;
	/** The indicators' mean progress in whole percent, and how many were counted. */
	progress: number | null;
	indicators: number;
	quotes: SnapshotQuote[];
}

export interface AnalysisSnapshot {
	year: number;
	partnerships: { inFilter: number; activeInYear: number; approvedReports: number };
	principles: SnapshotPrinciple[];
	buckets: Record<SnapshotBucket, number>;
	lights: Record<Light, number>;
}
