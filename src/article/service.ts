import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { QueryArticlesArgs } from "../generated/graphql";
import { ARTICLES, type ArticleSummary } from "./sql";
import type { SqlReader } from "../db/database";
import { likeLiteral } from "../db/like";
import { decodeCursor, keysetAfter, pageSize, toConnection, type Connection } from "../graphql/connection";
import { UserErrors, userError } from "../graphql/errors";
import type { Actor } from "../auth/actor";
import { createArticle, updateArticle, validateCreate, validateUpdate, type ArticleCreateInput, type ArticleUpdateInput } from "./intake";

export class ArticleService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Hand-written SQL for lookups by id, the hot read. */
    private readonly read: SqlReader,
  ) {}

  // Bodies load separately, only for `body` and `quote`.
  byIds(ids: readonly string[]): Promise<ArticleSummary[]> {
    return this.read<ArticleSummary>(ARTICLES.byIds(ids));
  }

  bodies(ids: readonly string[]): Promise<{ id: string; body: string }[]> {
    return this.prisma.article.findMany({ where: { id: { in: [...ids] } }, select: { id: true, body: true } });
  }

  find(by: { slug?: string | null; url?: string | null }): Promise<ArticleSummary | null> {
    if (by.slug) return this.prisma.article.findUnique({ where: { slug: by.slug }, omit: { body: true } });
    return this.prisma.article.findUnique({ where: { url: by.url! }, omit: { body: true } });
  }

  /** Event mentions per article, in the timeline's order. */
  mentionsFor(articleIds: readonly string[]) {
    return this.prisma.articleEvent.findMany({
      where: { articleId: { in: [...articleIds] } },
      orderBy: [{ event: { occurredAt: "asc" } }, { eventId: "asc" }],
    });
  }

  /** A page of articles, newest first (`filter.eventId` a database id). */
  async list({ filter, first, after }: QueryArticlesArgs): Promise<Connection<ArticleSummary>> {
    const size = pageSize(first);
    const where: Prisma.ArticleWhereInput = {};
    if (filter?.search) where.title = { contains: likeLiteral(filter.search.trim()), mode: "insensitive" };
    if (filter?.publication) where.publication = filter.publication;
    if (filter?.eventId) where.events = { some: { eventId: filter.eventId } };
    const page: Prisma.ArticleWhereInput[] = [where];
    if (after) {
      const [publishedAt, id] = decodeCursor(after, ["timestamp", "uuid"]) as [string, string];
      page.push(keysetAfter<Prisma.ArticleWhereInput>([
        { equal: { publishedAt: new Date(publishedAt) }, beyond: { publishedAt: { lt: new Date(publishedAt) } } },
        { equal: { id }, beyond: { id: { lt: id } } },
      ]));
    }
    const rows = await this.prisma.article.findMany({
      where: { AND: page },
      orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
      take: size + 1,
      omit: { body: true },
    });
    return toConnection(rows, size, (a) => [a.publishedAt.toISOString(), a.id], () => this.prisma.article.count({ where }), Boolean(after));
  }

  /** articleCreate: validated, then written by the same path as the seed importer. */
  create(input: ArticleCreateInput) {
    return this.prisma.$transaction(async (tx) => ({ article: await createArticle(tx, await validateCreate(tx, input)), reanchoring: null }));
  }

  /** articleUpdate: a changed body re-anchors every claim of the article, recorded in their histories. */
  update(id: string, input: ArticleUpdateInput, actor: Actor) {
    return this.prisma.$transaction(async (tx) => {
      const exists = await tx.article.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new UserErrors([userError("NOT_FOUND", "no article with this ID", ["input", "articleId"])]);
      return updateArticle(tx, exists.id, await validateUpdate(tx, exists.id, input), actor);
    }, { timeout: 60_000 });
  }
}
