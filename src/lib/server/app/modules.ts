import type { Module } from '../kernel/module.ts';
import { organizationsModule } from '../organizations/module.ts';
import { partnershipsModule } from '../partnerships/module.ts';
import { contentModule } from '../content/module.ts';
import { mediaModule } from '../media/module.ts';
import { partnerSearchModule } from '../partner-search/module.ts';
import { accountsModule } from '../accounts/module.ts';
import { dialogueModule } from '../dialogue/module.ts';
import { resultsModule } from '../results/module.ts';

/**
 * The platform's modules, in the order their reference data and demos load (a module's demo may
 * name what an earlier one made). Adding a module is adding its folder, a line here and its
 * messages (messages/<language>/<name>.json and src/lib/i18n/catalogue.ts).
 */
export const modules: readonly Module[] = [
	accountsModule,
	mediaModule,
	organizationsModule,
	partnershipsModule,
	contentModule,
	partnerSearchModule,
	dialogueModule,
	resultsModule
];

/** The modules that keep links to themes, for a topic merge (taxonomy/topics.ts). */
export const themeMergers = modules.flatMap((m) =>
	m.themeMerged ? [{ module: m.name, merge: m.themeMerged }] : []
);

/** Where the modules show files of the media library (media deletion asks first). */
export const mediaUsers = modules.flatMap((m) => (m.mediaUses ? [m.mediaUses] : []));
/** What the modules do when a library file is deleted (media deletion calls each in its transaction). */
export const mediaForgetters = modules.flatMap((m) => (m.mediaDeleted ? [m.mediaDeleted] : []));
