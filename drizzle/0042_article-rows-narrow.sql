-- The site search's match reads the row of every article that holds the words (3,079 of 10,000 for
-- a common word in the bench corpus), for its id, language and head rank only. A row keeps its body
-- and full-text vector inline up to 2 KB, so a page held about five rows and such a search read
-- 2,343 pages. From now on a row longer than 2 KB keeps only what the match reads (the title,
-- the head vector, the folded title and teaser) and moves the rest to its TOAST table: 1,133 pages
-- for the same search. Rows written before keep their layout until they are next saved
-- (`VACUUM FULL article_translation` rewrites them all at once, with the table locked meanwhile).
ALTER TABLE "article_translation" SET (toast_tuple_target = 256);--> statement-breakpoint
ALTER TABLE "article_translation" ALTER COLUMN "title" SET STORAGE MAIN;--> statement-breakpoint
ALTER TABLE "article_translation" ALTER COLUMN "search_head" SET STORAGE MAIN;--> statement-breakpoint
ALTER TABLE "article_translation" ALTER COLUMN "folded" SET STORAGE MAIN;
