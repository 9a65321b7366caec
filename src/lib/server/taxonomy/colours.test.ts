import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// WCAG 2.1 relative luminance and contrast ratio.
function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	}) as [number, number, number];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
	const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
	return (x + 0.05) / (y + 0.05);
};

describe('goal colours', () => {
	const css = readFileSync(new URL('../../../../static/sdg.css', import.meta.url), 'utf8');
	const sdg = JSON.parse(readFileSync(new URL('../../../../data/sdg/sdg.json', import.meta.url), 'utf8')) as {
		goals: { number: number; colour: string }[];
	};

	it.each(sdg.goals.map((g) => [g.number, g.colour] as const))(
		'goal %i keeps its official colour %s, and its tiles carry white text at 4.5:1 or more on a deepened shade of it',
		(n, colour) => {
			const rule = new RegExp(
				`\\.sdg-${n}\\{--sdg:(#[0-9A-Fa-f]{6});--sdg-tile:(#[0-9A-Fa-f]{6});--sdg-text:(#[0-9A-Fa-f]{6})`
			).exec(css);
			expect(rule?.[1]).toBe(colour);
			const [, , tile, text] = rule!;
			expect(text).toBe('#ffffff');
			expect(contrast(tile!, text!)).toBeGreaterThanOrEqual(4.5);
			// The same hue, only darker: each channel scaled by one factor (to rounding).
			const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
			const ratios = channels(tile!)
				.map((c, i) => [c, channels(colour)[i]!] as const)
				.filter(([, o]) => o > 40)
				.map(([c, o]) => c / o);
			expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(0.03);
		}
	);
});
