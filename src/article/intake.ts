import { createHash } from "node:crypto";
import { z } from "zod";
import type { Article, Prisma } from "../generated/prisma/client";
import type { Actor } from "../auth/actor";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { articleBody, articleTitle, authors, clearable, httpUrl, publication, slug, tags, urlNote } from "../validation/fields";
import { reanchorClaims, type ReanchoringSummary } from "./reanchorClaims";
import { lockArticleSql } from "./sql";

/**
 * The one path by which articles are written, for the API (articleCreate/articleUpdate) and the
 * seed importer alike: a changed body always re-anchors the article's claims.
 */

/** Longest body accepted, in characters (about 10,000 words): a long-read fits, and so does the request under the default BODY_LIMIT_BYTES. */
export const MAX_BODY_CHARS = 60_000;

type Tx = Prisma.TransactionClient;

/** Article columns a writer may set; the content hash is derived from the body. */
export type ArticleData = Omit<Prisma.ArticleUncheckedCreateInput, "contentHash" | "createdAt" | "updatedAt"> & { contentHash?: string };

const fields = {
  url: httpUrl,
  urlVerified: z.boolean(),
  urlNote: clearable(urlNote),
  slug,
  title: articleTitle,
  publication,
  authors,
  tags,
  publishedAt: z.date(),
  body: articleBody(MAX_BODY_CHARS),
};
const createInput = z.object({ ...fields, slug: fields.slug.optional(), urlVerified: fields.urlVerified.default(false) });
const updateInput = z.object(fields).partial();

export type ArticleCreateInput = z.input<typeof createInput>;
export type ArticleUpdateInput = z.input<typeof updateInput>;

export function contentHash(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

export async function createArticle(tx: Tx, data: ArticleData): Promise<Article> {
  return tx.article.create({ data: { ...data, contentHash: contentHash(data.body) } });
}

/**
 * Updates an article; when the body changed, re-anchors its claims (but those `placed` by the caller
 * against the new body: reanchorClaims).
 * `signal` (the request's) stops the re-anchoring; the thrown abort rolls the transaction back.
 */
export async function updateArticle(
  tx: Tx,
  id: string,
  data: Partial<ArticleData>,
  actor: Actor,
  signal?: AbortSignal,
  placed?: readonly string[],
): Promise<{ article: Article; reanchoring: ReanchoringSummary | null }> {
  // The row lock orders concurrent corrections: each re-anchors from the body the previous one left.
  const [current] = await tx.$queryRaw<{ content_hash: string }[]>(lockArticleSql(id));
  const bodyChanged = data.body != null && contentHash(data.body) !== current?.content_hash;
  const article = await tx.article.update({
    where: { id },
    data: { ...data, ...(data.body != null ? { contentHash: contentHash(data.body) } : {}) },
  });
  const reanchoring = bodyChanged ? await reanchorClaims(tx, id, article.body, actor, signal, placed) : null;
  return { article, reanchoring };
}

/** Validates API input for a new article: user errors for a taken URL or slug, an empty or oversized body. */
export async function validateCreate(tx: Tx, input: ArticleCreateInput): Promise<ArticleData> {
  const data = parseInput(createInput, input);
  const errors = [];
  if (await tx.article.findUnique({ where: { url: data.url }, select: { id: true } })) {
    errors.push(userError("TAKEN", "an article with this URL already exists", ["input", "url"]));
  }
  let slug = data.slug;
  if (slug && (await tx.article.findUnique({ where: { slug }, select: { id: true } }))) {
    errors.push(userError("TAKEN", `an article with slug "${slug}" already exists`, ["input", "slug"]));
  }
  if (errors.length) throw new UserErrors(errors);
  slug ??= await freeSlug(tx, slugify(data.title));
  return { ...data, slug };
}

export async function validateUpdate(tx: Tx, id: string, input: ArticleUpdateInput): Promise<Partial<ArticleData>> {
  const data = parseInput(updateInput, input);
  if (data.url) {
    const owner = await tx.article.findUnique({ where: { url: data.url }, select: { id: true } });
    if (owner && owner.id !== id) throw new UserErrors([userError("TAKEN", "another article has this URL", ["input", "url"])]);
    // A verification vouches for one address: a new URL is unverified unless the editor says otherwise.
    if (!owner && data.urlVerified === undefined) data.urlVerified = false;
  }
  if (data.slug) {
    const owner = await tx.article.findUnique({ where: { slug: data.slug }, select: { id: true } });
    if (owner && owner.id !== id) throw new UserErrors([userError("TAKEN", `another article has slug "${data.slug}"`, ["input", "slug"])]);
  }
  return data;
}

export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "article";
}

async function freeSlug(tx: Tx, base: string): Promise<string> {
  const taken = new Set(
    (await tx.article.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((a) => a.slug),
  );
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
