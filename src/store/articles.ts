/**
 * Article texts of thin stories, fetched once per URL and cached (src/app/enrich.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** An article page's main text, as extracted once and cached. */
export interface StoredArticle {
  url: string;
  /** ok: `text` holds the text; empty: the page had no readable text (nothing to retry). */
  status: 'ok' | 'empty';
  text: string;
  fetchedAt: string;
}

export async function articleTexts(db: Kysely<Database>, urls: string[]): Promise<Map<string, StoredArticle>> {
  if (urls.length === 0) return new Map();
  const rows = await db.selectFrom('article_texts').selectAll().where('url', 'in', urls).execute();
  return new Map(
    rows.map((row) => [
      row.url,
      { url: row.url, status: row.status as StoredArticle['status'], text: row.text, fetchedAt: row.fetched_at },
    ]),
  );
}

export async function saveArticleText(db: Kysely<Database>, article: StoredArticle): Promise<void> {
  await db
    .insertInto('article_texts')
    .values({ url: article.url, status: article.status, text: article.text, fetched_at: article.fetchedAt })
    .onConflict((oc) =>
      oc.column('url').doUpdateSet({ status: article.status, text: article.text, fetched_at: article.fetchedAt }),
    )
    .execute();
}
