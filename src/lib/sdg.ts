// Facts about Global Goal codes, shared by server and pages (no server code here).

/** The goal a target belongs to: "16.7" → 16, "16.a" → 16; a goal's own number for "16". */
export function goalOfTarget(code: string): number {
	const dot = code.indexOf('.');
	return Number(dot < 0 ? code : code.slice(0, dot));
}

/** A target as people read it: its code and short title ("16.7 Inkluderande beslutsfattande"). */
export function targetLabel(code: string, title: string | undefined): string {
	return title ? `${code} ${title}` : code;
}
