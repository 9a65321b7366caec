// The dialogue's tables, each part's beside its code: another module (and drizzle-kit, which reads
// `src/lib/server/*/schema.ts`) finds them all here.
export * from '../../dialogue-values.ts';
export * from './spaces/schema.ts';
export * from './proposals/schema.ts';
export * from './answers/schema.ts';
export * from './comments/schema.ts';
export * from './moderation/schema.ts';
export * from './notifications/schema.ts';
export * from './verification/schema.ts';
export * from './map-reports/schema.ts';
export * from './surveys/schema.ts';
