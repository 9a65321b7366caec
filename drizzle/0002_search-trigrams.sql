-- Typo-tolerant fallback search: trigram index over title and teaser.
CREATE INDEX IF NOT EXISTS "article_translation_trgm_idx" ON "article_translation" USING gin (("title" || ' ' || "teaser") gin_trgm_ops);
