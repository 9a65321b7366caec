import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { searchWord } from '../kernel/schema.ts';
import { article, articleTranslation } from '../content/schema.ts';
import { isPublished } from '../content/queries.ts';
import { partnership } from '../partnerships/schema.ts';
import { organization } from '../organizations/schema.ts';
import { partnerProfile } from '../partner-search/schema.ts';
import { visible as visibleProfile } from '../partner-search/profiles/queries.ts';
import { sdgGoal, sdgTarget } from '../taxonomy/schema.ts';

// Typos are corrected word by word against the words the site's public texts hold: "horbi" →
// "horby", "medborgardialg" → "medborgardialog". Comparing a typo with every title and name costs
// a comparison per text (200 ms of CPU for 10,000 articles in the bench); with a list of the
// words, a trigram lookup among a few thousand short strings.

/** How close a word must be to count as the one meant (pg_trgm's similarity, 0 to 1). */
const closeEnough = 0.4;

/** The words of a `wordsColumn` (kernel/fold.ts), as stored: split, and none of 200 letters or more. */
const wordsOf = (words: SQLWrapper, from: SQL) =>
	sql`select unnest(tsvector_to_array(${words})) as w from ${from}`;

/**
 * The words of the articles' folded titles and teasers, split at spaces, line breaks and tabs (as
 * `wordsColumn` splits; a translation, not a regular expression: 272 against 437 ms for the whole
 * list on the bench corpus).
 */
const foldedWordsOf = (folded: SQLWrapper, from: SQL) =>
	sql`select unnest(string_to_array(translate(${folded}, E'\\n\\r\\t', '   '), ' ')) as w from ${from}`;

/** Every public text the site search looks in, as words. */
const sources = () => [
	foldedWordsOf(
		articleTranslation.folded,
		sql`${articleTranslation} join ${article} on ${eq(article.id, articleTranslation.articleId)} where ${isPublished()}`
	),
	wordsOf(partnership.words, sql`${partnership}`),
	wordsOf(organization.words, sql`${organization}`),
	wordsOf(partnerProfile.words, sql`${partnerProfile} where ${visibleProfile}`),
	wordsOf(sdgGoal.words, sql`${sdgGoal}`),
	wordsOf(sdgTarget.words, sql`${sdgTarget}`)
];

/**
 * The list is remade when the content has changed since this process last made it (a change in
 * another instance reaches the content version within a poll). One remake at a time per database:
 * requests that need it meanwhile wait for the same one.
 */
const made = new WeakMap<Database, { version: string; ready: Promise<void> }>();

async function remake(db: Database): Promise<void> {
	await db.transaction(async (tx) => {
		// Instances remaking it at once take turns: each writes the whole list in its transaction.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('search_word'))`);
		await tx.delete(searchWord);
		await tx.execute(
			sql`insert into ${searchWord} (word) select distinct w from (${sql.join(sources(), sql` union all `)}) s
				where length(w) between 3 and 199 on conflict do nothing`
		);
	});
}

function wordList(db: Database): Promise<void> {
	const version = contentVersion();
	const held = made.get(db);
	if (held?.version === version) return held.ready;
	const ready = remake(db);
	made.set(db, { version, ready });
	// A failed remake is tried again by the next search, not remembered.
	ready.catch(() => {
		if (made.get(db)?.ready === ready) made.delete(db);
	});
	return ready;
}

/**
 * The query's words with each typo replaced by the closest word the site holds, or null when no
 * word could be corrected (every word is either known already or near nothing).
 */
export async function correctedWords(db: Database, words: string[]): Promise<string[] | null> {
	if (!words.length) return null;
	await wordList(db);
	const [row] = await db
		.select({
			found: sql<Record<string, string> | null>`json_object_agg(q.word, (
				select ${searchWord.word} from ${searchWord}
				where similarity(${searchWord.word}, q.word) >= ${closeEnough} and ${searchWord.word} % q.word
				order by similarity(${searchWord.word}, q.word) desc, ${searchWord.word} limit 1))`
		})
		.from(sql`unnest(${sql.param(words)}::text[]) as q(word)`);
	const best = row?.found ?? {};
	const corrected = words.map((w) => best[w] ?? w);
	return corrected.some((w, i) => w !== words[i]) ? corrected : null;
}
