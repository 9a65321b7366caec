/**
 * Break-out vectors for plain-text fields (titles, names, summaries, alt texts): text that would
 * run or inject something if a page, the feed, the JSON or the CSV put it anywhere but in text.
 * xss.spec.ts stores them through the real forms and opens every page where they show.
 *
 * Placeholders, filled in by `materialiseText`: XSSN, the vector's number in this field (what its
 * alert says, and the path it calls on the listener); LISTENER, the listener's address for it.
 */
export interface TextVector {
	/** What the vector tries. */
	name: string;
	text: string;
}

export const textVectors: readonly TextVector[] = [
	// Out of the element or attribute the text sits in.
	{ name: 'attribute break-out with a script', text: `"><script>alert(XSSN)</script>` },
	{ name: 'single-quote break-out with an image', text: `'><img src=x onerror=alert(XSSN)>` },
	{ name: 'title break-out', text: `</title><script>alert(XSSN)</script>` },
	{ name: 'textarea break-out', text: `</textarea><svg onload=alert(XSSN)>` },
	{ name: 'script-block break-out', text: `</script><script>alert(XSSN)</script>` },
	{ name: 'style break-out', text: `</style><img src=x onerror=alert(XSSN)>` },
	{ name: 'noscript break-out', text: `</noscript><img src=x onerror=alert(XSSN)>` },
	{ name: 'handler in an unquoted attribute', text: `x onfocus=alert(XSSN) autofocus tabindex=0` },
	{ name: 'handler after a double quote', text: `" onmouseover="alert(XSSN)" x="` },
	{ name: 'handler after a single quote', text: `' onfocus='alert(XSSN)' autofocus='` },
	{ name: 'comment break-out', text: `--><script>alert(XSSN)</script><!--` },
	{ name: 'svg without spaces', text: `<svg/onload=alert(XSSN)>` },
	{
		name: 'mutation through noscript',
		text: `<noscript><p title="</noscript><img src=x onerror=alert(XSSN)>">`
	},

	// Values that become dangerous if a field is ever used as an address.
	{ name: 'javascript: as the whole value', text: `javascript:alert(XSSN)` },
	{ name: 'javascript: with an encoded tab', text: `jav&#x09;ascript:alert(XSSN)` },
	{ name: 'data: html as the whole value', text: `data:text/html,<script>alert(XSSN)</script>` },

	// Markup written as text: it must stay text.
	{ name: 'link to javascript: as text', text: `<a href="javascript:alert(XSSN)">klicka</a>` },
	{ name: 'iframe srcdoc as text', text: `<iframe srcdoc="<script>parent.alert(XSSN)</script>"></iframe>` },
	{ name: 'base href as text', text: `<base href="LISTENER/">` },
	{ name: 'meta refresh as text', text: `<meta http-equiv="refresh" content="0;url=LISTENER">` },
	{ name: 'remote image as text', text: `<img src="LISTENER">` },

	// Bait for templates and for code that decodes or substitutes what it shows.
	{ name: '{@html} bait', text: `{@html '<img src=x onerror=alert(XSSN)>'}` },
	{ name: 'template-expression bait', text: `{{constructor.constructor('alert(XSSN)')()}} \${alert(XSSN)}` },
	{ name: 'replacement-pattern bait', text: `$& $' $\` $1 {org} {name} {theme} (XSSN)` },
	{ name: 'entity-encoded markup (decoding bait)', text: `&lt;script&gt;alert(XSSN)&lt;/script&gt;` },
	{ name: 'percent-encoded markup (decoding bait)', text: `%3Cscript%3Ealert(XSSN)%3C%2Fscript%3E` },

	// Line separators, which end a JavaScript string in older engines and some serialisers.
	{ name: 'U+2028 and U+2029 before a script', text: `\u2028\u2029</script><script>alert(XSSN)</script>` },

	// The feed and the JSON.
	{ name: 'CDATA break-out', text: `]]><script>alert(XSSN)</script><![CDATA[` },
	{ name: 'feed entry injection', text: `</title></entry><entry><title>Förfalskad XSSN` },
	{ name: 'XML-forbidden characters', text: `Tecken \uFFFE\uFFFF\u0085\u0008 XSSN` },
	{ name: 'JSON break-out', text: `"},"injected":{"x":"XSSN` },
	{
		name: 'private-use characters (in-band markers)',
		text: `\uE000<img src=x onerror=alert(XSSN)>\uE001\uF8FF`
	},

	// Spreadsheet formulas (the CSV exports are made for Excel).
	{ name: 'CSV formula with HYPERLINK', text: `=HYPERLINK("LISTENER","Klicka här XSSN")` },
	{ name: 'CSV formula with + and DDE', text: `+cmd|' /C calc'!A0 XSSN` },
	{ name: 'CSV formula with -', text: `-2+3+cmd|' /C calc'!A0 XSSN` },
	{ name: 'CSV formula with @', text: `@SUM(1+XSSN)*cmd|' /C calc'!A0` },
	{ name: 'CSV formula after a tab', text: `\t=1+XSSN` },
	{ name: 'CSV formula after a carriage return', text: `\r=2+XSSN` },
	{ name: 'CSV formula in full-width letters', text: `＝HYPERLINK("LISTENER","Klicka XSSN")` }
];

/** The placeholders filled in; `url` is the listener's address for this vector. */
export function materialiseText(vector: TextVector, n: number, url: string): string {
	return vector.text.replaceAll('LISTENER', url).replaceAll('XSSN', String(n));
}

/** The vectors whose text starts a spreadsheet formula: they lead the fields that reach the CSV. */
export const formulaVectors = textVectors.flatMap((v, i) => (/^CSV formula/.test(v.name) ? [i] : []));

/** One stored field: where it is (`topic1.name.sv`), what was sent, and which vectors it holds. */
export interface PlannedField {
	key: string;
	/** Its number: vector i in it calls alert(10000 + 100 × number + i) and /hit/<the same>. */
	number: number;
	value: string;
	vectors: number[];
}

/**
 * The values for the fields, each with as many vectors as fit in its length: a label (if any),
 * then the vectors from `lead` on (by default a different start for each field). Every alert and
 * listener call names the field and the vector.
 */
export class FieldPlan {
	readonly fields: PlannedField[] = [];
	private readonly listenerOrigin: string;
	constructor(listenerOrigin: string) {
		this.listenerOrigin = listenerOrigin;
	}

	value(key: string, max: number, options: { label?: string; lead?: number } = {}): string {
		if (this.fields.some((f) => f.key === key)) throw new Error(`The field ${key} is planned twice`);
		const number = this.fields.length + 1;
		const start = options.lead ?? (number * 7) % textVectors.length;
		const parts = options.label ? [options.label] : [];
		const vectors: number[] = [];
		for (let k = 0; k < textVectors.length; k++) {
			const i = (start + k) % textVectors.length;
			const n = 10_000 + number * 100 + i;
			const text = materialiseText(textVectors[i]!, n, `${this.listenerOrigin}/hit/${n}`);
			if ([...parts, text].join(' ').length > max) {
				if (vectors.length) break;
				continue;
			}
			parts.push(text);
			vectors.push(i);
		}
		if (!vectors.length) throw new Error(`No vector fits in ${key} (${max} characters)`);
		const value = parts.join(' ');
		this.fields.push({ key, number, value, vectors });
		return value;
	}

	/** The field and vector an alert's or a listener call's number names. */
	describe(n: number): string {
		const f = this.fields.find((f) => f.number === Math.floor((n - 10_000) / 100));
		const v = textVectors[n % 100];
		return f && v ? `${f.key}, vector "${v.name}"` : `number ${n}`;
	}
}
