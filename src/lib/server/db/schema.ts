// Every table, re-exported for Drizzle and drizzle-kit. Tables live in their domain folders.
export * from '../core/schema.ts';
export * from '../accounts/schema.ts';
export * from '../sdg/schema.ts';
export * from '../organizations/schema.ts';
export * from '../partnerships/schema.ts';
export * from '../content/schema.ts';
export * from '../media/schema.ts';
export * from '../partner-search/schema.ts';
