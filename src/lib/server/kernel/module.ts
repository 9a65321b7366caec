import type { Database, Transaction } from './database.ts';
import type { Scope } from './errors.ts';
import type { Rule } from './policy.ts';

/**
 * A module's manifest (`<module>/module.ts`): what the app needs to know to run it. The app lists
 * the manifests (app/modules.ts) and does the rest: reference data and demo on start, periodic
 * work on every tick, the permission table, and the hooks other parts call.
 */
export interface Module {
	/** Its key in the message catalogue (messages/<language>/<name>.json) and in the logs. */
	name: Scope;
	/** Its rules (policy.ts), shown to reviewers and walked by the permission tests. */
	policy: Record<string, Rule<any>>;
	/** Reference data loaded (and updated) on every start, before any demo. */
	reference?: (db: Database) => Promise<void>;
	/**
	 * Demo content, when SEED_DEMO is on: must add only what is missing, so that every start may
	 * run it. Runs in the order of the app's list (organizations before partnerships …).
	 */
	demo?: (db: Database) => Promise<void>;
	/** Periodic work on each tick (every REVISION_POLL_MS): safe to run on several instances at once. */
	tick?: (db: Database) => Promise<void>;
	/**
	 * A topic was merged into another (taxonomy/topics.ts): move this module's links from `from`
	 * to `into` inside the merge's transaction; say how many items carried `from`, and what the
	 * audit row should keep to undo it by hand.
	 */
	themeMerged?: (tx: Transaction, from: string, into: string) => Promise<ThemeMerge>;
	/**
	 * Where this module shows files of the media library (a lead image, a document, a link in a
	 * text): the library lists them, and deleting a file that is used asks first.
	 */
	mediaUses?: (
		db: Database | Transaction,
		files: readonly LibraryFile[],
		locale: string
	) => Promise<MediaUse[]>;
	/**
	 * A library file is being deleted (in the deletion's transaction): take this module's links to
	 * it out of its texts, so that no page keeps a dead link and no text is refused on its next save.
	 */
	mediaDeleted?: (tx: Transaction, file: LibraryFile) => Promise<void>;
}

/** A file of the media library, as the modules that use files look for it. */
export interface LibraryFile {
	id: number;
	/** Its address under /media/, which texts link to. */
	storageKey: string;
}

/** A page that shows a library file. */
export interface MediaUse {
	mediaId: number;
	/** How: its message under media.uses. */
	use: 'articleLead' | 'articleLink' | 'partnershipLead' | 'partnershipDocument';
	/** The page's name in the reader's language. */
	title: string;
	/** Where an editor changes it (without the language prefix). */
	href: string;
}

/** What a module reports of a topic merge. */
export interface ThemeMerge {
	count: number;
	/** The links as they were (for the audit row). */
	before?: unknown;
}

/** Declares a manifest (typed, so a wrong hook fails the type check). */
export function defineModule(module: Module): Module {
	return module;
}
