// The fixed values of the content model, shared by server and pages (no server code here).

/** The four democratic principles: fixed keys; topics beside them are editable. */
export const principleKeys = [
	'participation',
	'transparency',
	'accountability',
	'non-discrimination'
] as const;
export type PrincipleKey = (typeof principleKeys)[number];

export const articleKinds = ['case-story', 'method', 'interview', 'report', 'opinion', 'news'] as const;
export type ArticleKind = (typeof articleKinds)[number];

/** Draft → in review → scheduled or published → archived (content/workspace/workflow.ts). */
export const articleStatuses = ['draft', 'review', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];
