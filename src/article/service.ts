import type { ArticleEvent, PrismaClient } from "../generated/prisma/client";
import type { QueryArticlesArgs } from "../generated/graphql";
import { ARTICLES, NEWEST_ARTICLES, articleBySql, articleWhere, type ArticleKey, articleFilterSql, bodiesSql, mentionsSql, type ArticleSummary } from "./sql";
import type { SqlReader } from "../db/database";
import { articlePageSql, splitArticlePage, type ArticlePage, type ArticlePageParts } from "./page";
import type { Connection } from "../db/paging";
import { UserErrors, userError } from "../graphql/errors";
import type { Actor } from "../auth/actor";
import { createArticle, updateArticle, validateCreate, validateUpdate, type ArticleCreateInput, type ArticleUpdateInput } from "./intake";

export class ArticleService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Hand-written SQL for the reads; writes, and the reads inside them, go through Prisma. */
    private readonly read: SqlReader,
  ) {}

  // Bodies load separately, only for `body` and `quote`.
  byIds(ids: readonly string[]): Promise<ArticleSummary[]> {
    return this.read<ArticleSummary>(ARTICLES.byIds(ids));
  }

  bodies(ids: readonly string[]): Promise<{ id: string; body: string }[]> {
    return this.read<{ id: string; body: string }>(bodiesSql(ids));
  }

  async find(by: { slug?: string | null; url?: string | null }): Promise<ArticleSummary | null> {
    const [article] = await this.read<ArticleSummary>(articleBySql(by));
    return article ?? null;
  }

  /** An article with the parts of its page a client selected, in one statement; null when there is none. */
  async page(by: ArticleKey, parts: ArticlePageParts): Promise<ArticlePage | null> {
    return splitArticlePage(await this.read<Record<string, unknown>>(articlePageSql(articleWhere(by), parts)));
  }

  /** Event mentions per article, in the timeline's order. */
  mentionsFor(articleIds: readonly string[]): Promise<ArticleEvent[]> {
    return this.read<ArticleEvent>(mentionsSql("article", articleIds));
  }

  /** A page of articles, newest first (`filter.eventId` a database id). */
  list({ filter, first, after }: QueryArticlesArgs): Promise<Connection<ArticleSummary>> {
    return NEWEST_ARTICLES.page(this.read, { where: articleFilterSql(filter), first, after });
  }

  /** articleCreate: validated, then written by the same path as the seed importer. */
  create(input: ArticleCreateInput) {
    return this.prisma.$transaction(async (tx) => ({ article: await createArticle(tx, await validateCreate(tx, input)), reanchoring: null }));
  }

  /** articleUpdate: a changed body re-anchors every claim of the article, recorded in their histories; `signal` (the request's) stops it. */
  update(id: string, input: ArticleUpdateInput, actor: Actor, signal?: AbortSignal) {
    return this.prisma.$transaction(async (tx) => {
      const exists = await tx.article.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new UserErrors([userError("NOT_FOUND", "no article with this ID", ["input", "articleId"])]);
      return updateArticle(tx, exists.id, await validateUpdate(tx, exists.id, input), actor, signal);
    }, { timeout: 60_000 });
  }
}
