import { format, localizePath, messages, plural, type Locale } from '#lib/i18n/index.ts';
import { config } from '../../kernel/config.ts';
import { areaFrame, renderAreaMap, type AreaPoint } from '../../kernel/maps/area.ts';
import type { ReportFilter } from './input.ts';
import type { ReportCell, ReportSpace } from './queries.ts';

// The space's maps: the public map of its reports (server-rendered SVG, each mark a link to the
// table of the reports under it), and the empty map the report form places a point on.

/** The category's colour: its place in the space's list (six colours, then again). */
const kindOf = (space: ReportSpace, categoryId: number) =>
	`c${
		Math.max(
			0,
			space.categories.findIndex((c) => c.id === categoryId)
		) % 6
	}`;

/** The map of the public reports the filter finds; `points`: how many reports it shows. */
export function reportMap(
	space: ReportSpace,
	cells: ReportCell[],
	filter: ReportFilter,
	locale: Locale
): { svg: string; points: number; attribution: string } {
	const t = messages(locale).dialogue.mapReports;
	const titles = new Map(space.categories.map((c) => [c.id, c.title]));
	const placed = cells.filter(
		(c): c is ReportCell & { lat: number; lon: number } => c.lat !== null && c.lon !== null
	);
	const points: AreaPoint[] = placed.map((c) => ({
		lat: c.lat,
		lon: c.lon,
		count: c.count,
		label: titles.get(c.categoryId) ?? '',
		kind: kindOf(space, c.categoryId)
	}));
	const keep = new URLSearchParams(
		Object.entries({ category: filter.category, status: filter.status, period: filter.period }).filter(
			(e): e is [string, string] => typeof e[1] === 'string'
		)
	);
	const base = localizePath(locale, `/dialogue/${space.slug}/reports`);
	const clusterHref = (box: [number, number, number, number]) => {
		const q = new URLSearchParams(keep);
		q.set('box', box.map((v) => Math.round(v * 1e6) / 1e6).join(','));
		return `${base}?${q.toString()}#reports-table`;
	};
	const svg = renderAreaMap(
		{
			bbox: space.bbox,
			municipalityCode: space.municipalityCode,
			districts: space.districts,
			points,
			clusterHref,
			tiles: config().mapTiles?.url
		},
		{
			id: 'reports-map',
			title: t.mapTitle,
			description: t.mapDesc,
			count: (n) => plural(locale, t.mapCount, n)
		}
	);
	return {
		svg,
		points: placed.reduce((n, c) => n + c.count, 0),
		attribution: config().mapTiles?.attribution ?? ''
	};
}

/** The report form's map: the area without reports, and the box it is drawn over (for a tap). */
export function reportFormMap(
	space: ReportSpace,
	locale: Locale
): { svg: string; box: [number, number, number, number]; attribution: string } {
	const t = messages(locale).dialogue.mapReports;
	const svg = renderAreaMap(
		{
			bbox: space.bbox,
			municipalityCode: space.municipalityCode,
			districts: space.districts,
			points: [],
			clusterHref: () => '',
			tiles: config().mapTiles?.url
		},
		{
			id: 'place-map',
			title: t.placeLegend,
			description: t.useMap,
			count: (n) => format(t.mapCount.other, { count: n })
		}
	);
	return { svg, box: areaFrame(space.bbox).box, attribution: config().mapTiles?.attribution ?? '' };
}
