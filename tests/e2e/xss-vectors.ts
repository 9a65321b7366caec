/**
 * Cross-site scripting vectors for stored rich text (xss.spec.ts saves them through the article
 * editor and opens the public pages in Chromium). Each vector, if it ran, would call
 * alert/confirm/prompt with its own number or make a request to the test listener, so whatever
 * ran can be named.
 *
 * Placeholders, filled in by `materialise`:
 * - LISTENER: the listener's address for this vector (http://127.0.0.1:<port>/hit/<n>);
 * - XSSN: the vector's number (the argument of its alert);
 * - [[base64:…]]: the text between, base64-encoded (after the two above are filled in).
 */
export interface XssVector {
	/** What the vector tries. */
	name: string;
	html: string;
}

export const xssVectors: readonly XssVector[] = [
	// <script> in many spellings.
	{ name: 'plain script', html: `<script>alert(XSSN)</script>` },
	{ name: 'upper-case script', html: `<SCRIPT>confirm(XSSN)</SCRIPT>` },
	{ name: 'mixed-case script with type', html: `<ScRiPt type="text/javascript">prompt(XSSN)</sCrIpT>` },
	{ name: 'external script', html: `<script src="LISTENER"></script>` },
	{ name: 'script with a slash as separator', html: `<script/random src="LISTENER"></script>` },
	{ name: 'script with newlines between attributes', html: `<script\nsrc="LISTENER"\ndefer\n></script>` },
	{ name: 'script closed with junk in the end tag', html: `<script>alert(XSSN)</script foo="bar">` },
	{ name: 'script closed over a line break', html: `<script>confirm(XSSN)</script\n>` },
	{
		name: 'script split by a stripped inner script',
		html: `<scr<script>x</script>ipt>alert(XSSN)</scr<script>x</script>ipt>`
	},
	{ name: 'script behind a stray angle bracket', html: `<<script>alert(XSSN);//<</script>` },
	{ name: 'module script importing remotely', html: `<script type="module">import('LISTENER')</script>` },
	{ name: 'script with a comment opener inside', html: `<script>alert(XSSN)<!--</script>` },
	{ name: 'nested scripts', html: `<script><script>alert(XSSN)</script></script>` },

	// Event handlers on many tags.
	{ name: 'img onerror', html: `<img src=x onerror=alert(XSSN)>` },
	{
		name: 'img from a library-shaped path with a handler',
		html: `<img src="/media/0123456789abcdef0123456789abcdef/320.webp" onerror="alert(XSSN)" onload="alert(XSSN)">`
	},
	{ name: 'img from the listener', html: `<IMG SRC="LISTENER">` },
	{ name: 'img srcset from the listener', html: `<img srcset="LISTENER 1x" alt="">` },
	{ name: 'img with a javascript: src', html: `<img src="javascript:alert(XSSN)">` },
	{ name: 'svg onload', html: `<svg onload=alert(XSSN)></svg>` },
	{ name: 'svg onload without spaces', html: `<svg/onload=confirm(XSSN)//>` },
	{ name: 'body onload', html: `<body onload="alert(XSSN)">` },
	{ name: 'details ontoggle', html: `<details open ontoggle="alert(XSSN)"><summary>s</summary>d</details>` },
	{ name: 'video source onerror', html: `<video><source onerror="alert(XSSN)"></video>` },
	{ name: 'audio onerror', html: `<audio src="nope" onerror="prompt(XSSN)"></audio>` },
	{ name: 'input autofocus onfocus', html: `<input autofocus onfocus="alert(XSSN)">` },
	{ name: 'marquee onstart', html: `<marquee onstart="alert(XSSN)">m</marquee>` },
	{ name: 'textarea autofocus onfocus', html: `<textarea autofocus onfocus="confirm(XSSN)">t</textarea>` },
	{
		name: 'unknown element with tabindex and onfocus',
		html: `<xss id="xss" tabindex="1" autofocus onfocus="alert(XSSN)">x</xss>`
	},
	{
		name: 'allowed link with a handler',
		html: `<a href="https://example.org/" onmouseover="alert(XSSN)" onfocus="alert(XSSN)" autofocus>link</a>`
	},
	{
		name: 'paragraph with a handler',
		html: `<p onclick="alert(XSSN)" onanimationstart="alert(XSSN)">para</p>`
	},
	{ name: 'frameset onload', html: `<frameset onload="alert(XSSN)"></frameset>` },
	{ name: 'style onload', html: `<style onload="alert(XSSN)"></style>` },
	{
		name: 'input type=image from the listener',
		html: `<input type="image" src="LISTENER" onerror="alert(XSSN)">`
	},
	{ name: 'video poster from the listener', html: `<video poster="LISTENER"></video>` },
	{
		name: 'table background from the listener',
		html: `<table background="LISTENER"><tr><td>t</td></tr></table>`
	},

	// javascript: URLs in href/src/formaction/xlink:href.
	{ name: 'javascript: href', html: `<a href="javascript:alert(XSSN)">a</a>` },
	{ name: 'mixed-case javascript: href', html: `<a href="JaVaScRiPt:confirm(XSSN)">a</a>` },
	{ name: 'javascript: split by an encoded tab', html: `<a href="ja&#x09;vascript:alert(XSSN)">a</a>` },
	{ name: 'javascript: split by an encoded newline', html: `<a href="jav&#x0A;ascript:alert(XSSN)">a</a>` },
	{ name: 'javascript: split by a raw tab and newline', html: `<a href="java\tscr\nipt:alert(XSSN)">a</a>` },
	{
		name: 'javascript: in decimal entities',
		html: `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(XSSN)">a</a>`
	},
	{
		name: 'javascript: in hex entities',
		html: `<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;prompt(XSSN)">a</a>`
	},
	{
		name: 'javascript: with zero-padded entities without semicolons',
		html: `<a href="&#0000106&#0000097vascript:alert(XSSN)">a</a>`
	},
	{
		name: 'javascript: with a named entity for the colon',
		html: `<a href="javascript&colon;alert(XSSN)">a</a>`
	},
	{
		name: 'javascript: behind spaces and a control character',
		html: `<a href=" \u0001 javascript:alert(XSSN)">a</a>`
	},
	{
		name: 'javascript: with a percent-encoded body',
		html: `<a href="javascript:%61%6c%65%72%74(XSSN)">a</a>`
	},
	{
		name: 'javascript: hidden behind a // comment and %0A',
		html: `<a href="javascript://example.org/%0Aalert(XSSN)">a</a>`
	},
	{ name: 'javascript: in an unquoted href', html: `<a href=javascript:alert(XSSN)>a</a>` },
	{ name: 'javascript: in an iframe src', html: `<iframe src="javascript:alert(XSSN)"></iframe>` },
	{
		name: 'javascript: in a form action',
		html: `<form action="javascript:alert(XSSN)"><button>go</button></form>`
	},
	{
		name: 'javascript: in a button formaction',
		html: `<form><button formaction="javascript:alert(XSSN)" autofocus>go</button></form>`
	},
	{
		name: 'formaction to the listener',
		html: `<form><input type="submit" formaction="LISTENER" value="send"></form>`
	},
	{
		name: 'javascript: in svg xlink:href',
		html: `<svg><a xlink:href="javascript:alert(XSSN)"><text x="10" y="20">s</text></a></svg>`
	},
	{
		name: 'javascript: in a math maction',
		html: `<math><maction actiontype="statusline" xlink:href="javascript:alert(XSSN)">m</maction></math>`
	},
	{ name: 'javascript: in object data', html: `<object data="javascript:alert(XSSN)"></object>` },
	{ name: 'javascript: in embed src', html: `<embed src="javascript:alert(XSSN)">` },

	// data: URLs.
	{ name: 'data:text/html href', html: `<a href="data:text/html,<script>alert(XSSN)</script>">d</a>` },
	{
		name: 'data:text/html;base64 iframe',
		html: `<iframe src="data:text/html;base64,[[base64:<script>parent.alert(XSSN);fetch('LISTENER')</script>]]"></iframe>`
	},
	{
		name: 'data:image/svg+xml object',
		html: `<object data="data:image/svg+xml;base64,[[base64:<svg xmlns="http://www.w3.org/2000/svg" onload="alert(XSSN)"/>]]"></object>`
	},
	{
		name: 'data:image/svg+xml embed',
		html: `<embed src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><script>alert(XSSN)</script></svg>" type="image/svg+xml">`
	},
	{
		name: 'data: href with a leading space and upper case',
		html: `<a href=" DATA:text/html;base64,[[base64:<script>alert(XSSN)</script>]]">d</a>`
	},

	// SVG.
	{ name: 'svg script', html: `<svg><script>alert(XSSN)</script></svg>` },
	{ name: 'svg script with a data: href', html: `<svg><script href="data:,alert(XSSN)"></script></svg>` },
	{
		name: 'svg animate onbegin',
		html: `<svg><animate onbegin="alert(XSSN)" attributeName="x" dur="1s"></animate></svg>`
	},
	{
		name: 'svg animate turning a link into javascript:',
		html: `<svg><a><animate attributeName="href" values="javascript:alert(XSSN)"></animate><text x="10" y="20">s</text></a></svg>`
	},
	{
		name: 'svg set onbegin',
		html: `<svg><set attributeName="fill" to="red" onbegin="confirm(XSSN)"></set></svg>`
	},
	{
		name: 'svg foreignObject with html inside',
		html: `<svg><foreignObject width="100" height="50"><details open ontoggle="alert(XSSN)">f</details></foreignObject></svg>`
	},
	{
		name: 'svg image from the listener',
		html: `<svg><image href="LISTENER" width="10" height="10"></image></svg>`
	},
	{
		name: 'svg use of a data: document',
		html: `<svg><use href="data:image/svg+xml;base64,[[base64:<svg id="u" xmlns="http://www.w3.org/2000/svg"><image href="LISTENER"/></svg>]]#u"></use></svg>`
	},
	{ name: 'svg style importing remotely', html: `<svg><style>@import url(LISTENER);</style></svg>` },

	// Frames, objects, embeds.
	{
		name: 'iframe srcdoc',
		html: `<iframe srcdoc="&lt;script&gt;parent.alert(XSSN)&lt;/script&gt;"></iframe>`
	},
	{ name: 'iframe from the listener', html: `<iframe src="LISTENER" width="1" height="1"></iframe>` },
	{ name: 'object from the listener', html: `<object data="LISTENER" type="text/html"></object>` },
	{ name: 'embed from the listener', html: `<embed src="LISTENER" type="text/html">` },

	// meta, base, link.
	{
		name: 'meta refresh to javascript:',
		html: `<meta http-equiv="refresh" content="0;url=javascript:alert(XSSN)">`
	},
	{ name: 'meta refresh to the listener', html: `<meta http-equiv="refresh" content="0; url=LISTENER">` },
	{ name: 'base href moving relative URLs', html: `<base href="LISTENER/">` },
	{ name: 'link stylesheet from the listener', html: `<link rel="stylesheet" href="LISTENER">` },
	{ name: 'link prefetch to the listener', html: `<link rel="prefetch" href="LISTENER">` },
	{ name: 'link import', html: `<link rel="import" href="LISTENER">` },
	{
		name: 'link preload as script',
		html: `<link rel="preload" as="script" href="LISTENER" onload="alert(XSSN)">`
	},

	// Styles.
	{ name: 'style attribute with expression()', html: `<p style="width:expression(alert(XSSN))">e</p>` },
	{ name: 'style attribute with a remote background', html: `<p style="background:url('LISTENER')">b</p>` },
	{
		name: 'style attribute with a javascript: url()',
		html: `<p style="background-image:url(javascript:alert(XSSN))">u</p>`
	},
	{ name: 'style element with @import', html: `<style>@import 'LISTENER';</style>` },
	{
		name: 'style element with a javascript: url()',
		html: `<style>.prose{background:url("javascript:alert(XSSN)")}</style>`
	},
	{
		name: 'style element with a remote background',
		html: `<style>body{background-image:url(LISTENER)}</style>`
	},

	// Break-outs of raw-text and template contexts.
	{ name: 'textarea break-out', html: `</textarea><script>alert(XSSN)</script>` },
	{ name: 'title break-out', html: `</title><script>confirm(XSSN)</script>` },
	{ name: 'noscript break-out', html: `</noscript><svg onload="alert(XSSN)"></svg>` },
	{ name: 'style break-out', html: `</style><script>prompt(XSSN)</script>` },
	{
		name: 'template with a declarative shadow root',
		html: `<div><template shadowrootmode="open"><svg onload="alert(XSSN)"></svg></template></div>`
	},
	{ name: 'template holding a script', html: `<template><script>alert(XSSN)</script></template>` },

	// Comments and CDATA.
	{ name: 'comment closed early by <!-->', html: `<!--><script>alert(XSSN)</script>-->` },
	{ name: 'comment closed by --!>', html: `<!-- x --!><script>confirm(XSSN)</script> -->` },
	{ name: 'CDATA in html as a bogus comment', html: `<![CDATA[><script>alert(XSSN)</script>]]>` },
	{ name: 'CDATA inside svg', html: `<svg><![CDATA[><image href="LISTENER"></image>]]></svg>` },
	{ name: 'conditional comment', html: `<!--[if gte IE 4]><script>alert(XSSN)</script><![endif]-->` },

	// Mutation XSS.
	{
		name: 'noscript title mutation',
		html: `<noscript><p title="</noscript><img src=x onerror=alert(XSSN)>"></noscript>`
	},
	{
		name: 'math style mutation',
		html: `<math><mtext><table><mglyph><style><img src=x onerror=alert(XSSN)></style></mglyph></table></mtext></math>`
	},
	{ name: 'svg p style mutation', html: `<svg></p><style><a id="</style><img src=1 onerror=alert(XSSN)>">` },
	{
		name: 'select template mutation',
		html: `<select><template><style><!--</style><a rel="--></style></template></select><svg onload=alert(XSSN)>">x</a></style></template></select>`
	},

	// Encoded and escaped text.
	{ name: 'entity-encoded script', html: `&lt;script&gt;alert(XSSN)&lt;/script&gt;` },
	{ name: 'double-encoded script', html: `&amp;lt;script&amp;gt;alert(XSSN)&amp;lt;/script&amp;gt;` },
	{ name: 'entity-encoded img without semicolons', html: `&#60img src=x onerror=alert(XSSN)&#62` },
	{ name: 'percent-encoded script', html: `%3Cscript%3Ealert(XSSN)%3C%2Fscript%3E` },
	{
		name: 'javascript unicode escapes in a handler',
		html: `<svg onload="\\u0061\\u006c\\u0065\\u0072\\u0074(XSSN)"></svg>`
	},
	{ name: 'unicode escapes of the tag', html: `\\u003cscript\\u003ealert(XSSN)\\u003c/script\\u003e` },
	{ name: 'full-width angle brackets', html: `＜script＞alert(XSSN)＜/script＞` },

	// Breaking out of attributes.
	{
		name: 'quote break in an allowed title',
		html: `<a href="https://example.org/" title='"><script>alert(XSSN)</script>'>t</a>`
	},
	{
		name: 'quote break into an event handler',
		html: `<a href="https://example.org/" title="x"onmouseover="alert(XSSN)"x="">t</a>`
	},
	{
		name: 'quote break in an href',
		html: `<a href="https://example.org/&quot; onfocus=&quot;alert(XSSN)&quot; autofocus=&quot;">t</a>`
	},
	{ name: 'attribute-context break-out text', html: `"><svg onload=alert(XSSN)>` },
	{ name: 'backtick-delimited attribute', html: `<a href=\`javascript:alert(XSSN)\`>t</a>` },

	// Namespace confusion between HTML, SVG and MathML: what a sanitiser parses as text inside one
	// namespace, the browser may parse as markup after leaving it.
	{
		name: 'svg style letting an img break out of foreign content',
		html: `<svg><style><img src=x onerror=alert(XSSN)></style></svg>`
	},
	{
		name: 'math mglyph, svg and textarea in a table',
		html: `<math><mtext><table><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(XSSN) src=1>"></path></textarea></mtext></svg></mglyph></table></mtext></math>`
	},
	{
		name: 'a form closed inside math, reopened around mglyph and style',
		html: `<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(XSSN)></style>`
	},
	{
		name: 'math annotation-xml as an html integration point',
		html: `<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(XSSN)></style></annotation-xml></math>`
	},
	{
		name: 'svg title closing over an attribute',
		html: `<svg></p><title><a href="</title><img src=x onerror=alert(XSSN)>"></a></title></svg>`
	},
	{
		name: 'math element with a javascript: href',
		html: `<math href="javascript:alert(XSSN)"><mtext>m</mtext></math>`
	},

	// Raw-text elements whose end tag hides inside an attribute once the sanitiser sees text.
	{
		name: 'noscript style mutation',
		html: `<noscript><style></noscript><img src=x onerror=alert(XSSN)></style></noscript>`
	},
	{
		name: 'template holding a noscript image',
		html: `<template><noscript><img src=x onerror=alert(XSSN)></noscript></template>`
	},
	{ name: 'xmp title mutation', html: `<xmp><p title="</xmp><img src=x onerror=alert(XSSN)>"></xmp>` },
	{
		name: 'noembed title mutation',
		html: `<noembed><p title="</noembed><img src=x onerror=alert(XSSN)>"></noembed>`
	},
	{
		name: 'iframe content mutation',
		html: `<iframe><p title="</iframe><img src=x onerror=alert(XSSN)>"></iframe>`
	},

	// srcdoc, formaction and base in other spellings.
	{
		name: 'iframe srcdoc with a numeric-entity image',
		html: `<iframe srcdoc="&#60;img src=x onerror=parent.alert(XSSN)&#62;"></iframe>`
	},
	{
		name: 'button outside its form with a javascript: formaction',
		html: `<form id="xssform"></form><button form="xssform" formaction="javascript:alert(XSSN)" autofocus>go</button>`
	},
	{
		name: 'base href with a javascript: scheme under a relative link',
		html: `<base href="javascript:/a/-alert(XSSN)///////"><a href="../x">b</a>`
	},

	// Styles that load or run something.
	{
		name: 'style element with @font-face from the listener',
		html: `<style>@font-face{font-family:xss;src:url(LISTENER)}p{font-family:xss}</style>`
	},
	{
		name: 'css custom property carrying a remote url',
		html: `<p style="--x:url(LISTENER);background-image:var(--x)">v</p>`
	},
	{
		name: 'link stylesheet from a data: url with expression()',
		html: `<link rel="stylesheet" href="data:,*%7bx:expression(alert(XSSN))%7D">`
	},
	{ name: 'style attribute with behavior', html: `<p style="behavior:url(LISTENER)">h</p>` },

	// javascript: spelled with named entities, and other schemes.
	{ name: 'javascript: split by a named &Tab;', html: `<a href="java&Tab;script:alert(XSSN)">a</a>` },
	{
		name: 'javascript: split by &NewLine; with &colon;',
		html: `<a href="javas&NewLine;cript&colon;alert(XSSN)">a</a>`
	},
	{
		name: 'javascript: with hex entities for single letters',
		html: `<a href="jav&#x61;script&#x3a;confirm(XSSN)">a</a>`
	},
	{
		name: 'data:text/html href, percent-encoded',
		html: `<a href="data:text/html;charset=utf-8,%3Cscript%3Ealert(XSSN)%3C%2Fscript%3E">d</a>`
	},
	{
		name: 'data:application/xhtml+xml href',
		html: `<a href="data:application/xhtml+xml,<x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(XSSN)</x:script>">d</a>`
	},
	{ name: 'vbscript: href', html: `<a href="vbscript:msgbox(XSSN)">v</a>` },

	// DOM clobbering: names and ids the kit's start-up script reads (document.currentScript and its
	// parentElement) or that scripts commonly call.
	{
		name: 'clobbering document.currentScript with a named form',
		html: `<form name="currentScript"><input name="parentElement" value="XSSN"></form>`
	},
	{
		name: 'clobbering document.getElementById and querySelector',
		html: `<form name="getElementById"></form><form name="querySelector" id="querySelector"></form><a id="XSSN" name="cookie" href="LISTENER">c</a>`
	},
	{
		name: 'clobbering a global by id with a javascript: link',
		html: `<a id="__sveltekit_dev" href="javascript:alert(XSSN)">k</a><a id="__sveltekit_dev" name="base" href="LISTENER">k</a>`
	},

	// Elements and spellings the lists above do not try.
	{ name: 'svg discard onbegin', html: `<svg><discard onbegin="alert(XSSN)"></discard></svg>` },
	{ name: 'body onpageshow', html: `<body onpageshow="alert(XSSN)">` },
	{ name: 'portal from the listener', html: `<portal src="LISTENER"></portal>` },
	{
		name: 'long s in the tag name (case folding)',
		html: `<ſcript>alert(XSSN)</ſcript><ſvg onload=alert(XSSN)>`
	},
	{
		name: 'utf-7 charset switch',
		html: `<meta charset="utf-7">+ADw-script+AD4-alert(XSSN)+ADw-/script+AD4-`
	}
];

/** The placeholders filled in; `url` is the listener's address for this vector. */
export function materialise(vector: XssVector, n: number, url: string): string {
	return vector.html
		.replaceAll('LISTENER', url)
		.replaceAll('XSSN', String(n))
		.replace(/\[\[base64:([\s\S]*?)\]\]/g, (_, text: string) => Buffer.from(text).toString('base64'));
}
