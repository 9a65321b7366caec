/**
 * A session's device as a person reads it ("Chrome", "Linux") from its user-agent string. A few
 * well-known names only, checked in the order that tells them apart (Edge and Opera say "Chrome"
 * too, Chrome says "Safari"); what is not recognised stays as sent, shortened. A maintained parser
 * (bowser) would know more; this is enough to recognise one's own sessions.
 */
const browsers: [RegExp, string][] = [
	[/\bEdg(e|A|iOS)?\//, 'Edge'],
	[/\b(OPR|Opera)\//, 'Opera'],
	[/\bSamsungBrowser\//, 'Samsung Internet'],
	[/\b(Firefox|FxiOS)\//, 'Firefox'],
	[/\b(HeadlessChrome|Chrome|Chromium|CriOS)\//, 'Chrome'],
	[/\bVersion\/[\d.]+.*\bSafari\//, 'Safari']
];
const systems: [RegExp, string][] = [
	[/\b(iPhone|iPad|iPod)\b/, 'iOS'],
	[/\bAndroid\b/, 'Android'],
	[/\bCrOS\b/, 'ChromeOS'],
	[/\bWindows\b/, 'Windows'],
	[/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
	[/\bLinux\b|\bX11\b/, 'Linux']
];

const first = (list: [RegExp, string][], ua: string) =>
	list.find(([pattern]) => pattern.test(ua))?.[1] ?? null;

export function deviceOf(userAgent: string): { browser: string | null; system: string | null; raw: string } {
	return {
		browser: first(browsers, userAgent),
		system: first(systems, userAgent),
		raw: userAgent.length > 60 ? `${userAgent.slice(0, 59)}…` : userAgent
	};
}
