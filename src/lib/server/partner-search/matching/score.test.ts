import { describe, expect, it } from 'vitest';
import { scoreMatch, weights, type Basis, type Candidate } from './score.ts';

const themeNames: Record<string, string> = { participation: 'Deltagande', transparency: 'Transparens' };
const themeName = (key: string) => themeNames[key] ?? key;

const peja: Basis = {
	country: 'XK',
	themes: ['participation', 'transparency'],
	goals: [],
	targets: ['16.7', '16.6'],
	regions: ['SE'],
	languages: ['sq', 'en']
};
const horby: Candidate = {
	name: 'Hörby kommun',
	country: 'SE',
	themes: ['participation', 'transparency'],
	goals: [16],
	targets: ['16.7', '16.6'],
	regions: ['europe', 'XK'],
	languages: ['sv', 'en', 'sq']
};

describe('scoring a profile against another', () => {
	it('counts what both work on, where each looks and their languages, and says so', () => {
		const { score, reasons } = scoreMatch(peja, horby, 'sv', themeName);
		expect(reasons).toEqual([
			'Båda arbetar med deltagande, transparens, delmål 16.7 och delmål 16.6',
			'Hörby kommun söker partner i Kosovo',
			'Ni söker partner i Sverige, där Hörby kommun finns',
			'Ni har engelska och albanska gemensamt'
		]);
		// Two themes, two targets (their goal 16 is not counted again), two places, two languages.
		expect(score).toBe(2 * weights.theme + 2 * weights.target + 2 * weights.place + 2 * weights.language);
		const english = (key: string) =>
			({ participation: 'Participation', transparency: 'Transparency' })[key] ?? key;
		expect(scoreMatch(peja, { ...horby, name: 'Hörby Municipality' }, 'en', english).reasons[0]).toBe(
			'Both work on participation, transparency, target 16.7 and target 16.6'
		);
	});

	it('names a shared goal when no shared target says it, and a region that covers a country', () => {
		const ghanzi: Candidate = {
			name: 'Ghanzi District Council',
			country: 'BW',
			themes: [],
			goals: [5],
			targets: ['16.7'],
			regions: ['europe'],
			languages: []
		};
		const ale: Basis = {
			country: 'SE',
			themes: [],
			goals: [5],
			targets: [],
			regions: ['africa'],
			languages: []
		};
		expect(scoreMatch(ale, ghanzi, 'sv', themeName).reasons).toEqual([
			'Båda arbetar med mål 5',
			'Ghanzi District Council söker partner i Europa',
			'Ni söker partner i Afrika, där Ghanzi District Council finns'
		]);
	});

	it('gives nothing for nothing in common', () => {
		const other: Candidate = {
			...horby,
			themes: ['migration'],
			goals: [],
			targets: [],
			regions: [],
			languages: ['fr']
		};
		expect(scoreMatch({ ...peja, regions: [] }, other, 'sv', themeName)).toEqual({ score: 0, reasons: [] });
	});
});
