import { z } from "zod";
import type { Prisma, PrismaClient, Source } from "../generated/prisma/client";
import type { QuerySourcesArgs, SourceCreateInput, SourceUpdateInput } from "../generated/graphql";
import type { SqlReader } from "../db/database";
import { PLAIN_LIST_ROWS, type Connection } from "../db/paging";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { badInput } from "../validation/badInput";
import { aliases, clearable, role, slug, sourceDescription, sourceName, wikidataId } from "../validation/fields";
import { normalizeName } from "./names";
import { BY_NAME, SOURCES, actorMatchesSql, affiliationChainSql, lockAffiliationsSql, sourceFilterSql } from "./sql";

const sourceInput = z.object({
  slug: slug.optional(),
  name: sourceName.optional(),
  role: clearable(role),
  description: clearable(sourceDescription),
  aliases: aliases.nullish(),
  wikidataId: wikidataId.nullish(),
});

/**
 * Affiliations form a tree (README): refuses making `member` part of `affiliationId`'s chain when that
 * chain already leads back to `member`, naming the cycle. Runs under a lock every affiliation change
 * takes, so concurrent updates are checked one after another against committed rows.
 */
async function refuseCycle(tx: Prisma.TransactionClient, member: Pick<Source, "id" | "slug">, affiliationId: string) {
  await tx.$queryRaw(lockAffiliationsSql);
  const chain = await tx.$queryRaw<{ id: string; slug: string }[]>(affiliationChainSql(affiliationId, member.id));
  if (chain.at(-1)?.id !== member.id) return;
  const cycle = [member.slug, ...chain.map((s) => s.slug)].join(" → ");
  throw new UserErrors([userError("INVALID", `affiliation cycle ${cycle}: affiliations must form a tree`, ["input", "affiliationId"])]);
}

/** Alias rows include the canonical name itself, so one indexed lookup matches name or alias. */
export function aliasRows(name: string, aliases: readonly string[]) {
  const byKey = new Map<string, string>();
  for (const alias of [name, ...aliases]) {
    const key = normalizeName(alias);
    if (!byKey.has(key)) byKey.set(key, alias);
  }
  return [...byKey].map(([normalized, alias]) => ({ normalized, alias }));
}

export class SourceService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Hand-written SQL for the hot reads: lookups by id, the directory. */
    private readonly read: SqlReader,
  ) {}

  byIds(ids: readonly string[]): Promise<Source[]> {
    return this.read<Source>(SOURCES.byIds(ids));
  }

  bySlug(slug: string): Promise<Source | null> {
    return this.prisma.source.findUnique({ where: { slug } });
  }

  /** Display aliases per source (the canonical name left out), for a batch of sources. */
  async aliasesFor(sourceIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.prisma.sourceAlias.findMany({
      where: { sourceId: { in: [...sourceIds] } },
      include: { source: { select: { name: true } } },
      orderBy: { alias: "asc" },
    });
    const out = new Map<string, string[]>();
    for (const row of rows) {
      if (normalizeName(row.source.name) === row.normalized) continue;
      out.set(row.sourceId, [...(out.get(row.sourceId) ?? []), row.alias]);
    }
    return out;
  }

  membersOf(sourceIds: readonly string[]): Promise<Source[]> {
    return this.prisma.source.findMany({
      where: { affiliationId: { in: [...sourceIds] } },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: PLAIN_LIST_ROWS,
    });
  }

  /**
   * IDs of the sources an actor string names (name, slug or alias). With `includeAffiliated`,
   * also everyone affiliated with them, transitively (a department's officials).
   */
  async resolveActor(actor: string, includeAffiliated: boolean): Promise<string[]> {
    const key = normalizeName(actor);
    if (!key) throw badInput("actor must not be empty", "filter.actor");
    // Two index lookups; Prisma's `OR` over the slug and an alias relation filter planned as a scan of
    // every source with a sub-select per row (100 ms per request with 2,000 sources).
    const matches = await this.read<{ id: string }>(actorMatchesSql(key));
    const ids = new Set(matches.map((m) => m.id));
    let frontier = [...ids];
    while (includeAffiliated && frontier.length > 0) {
      const members = await this.prisma.source.findMany({
        where: { affiliationId: { in: frontier }, id: { notIn: [...ids] } },
        select: { id: true },
      });
      frontier = members.map((m) => m.id);
      frontier.forEach((id) => ids.add(id));
    }
    return [...ids];
  }

  /** A page of sources by name (`filter.affiliationId` a database id). */
  list({ filter, first, after }: QuerySourcesArgs): Promise<Connection<Source>> {
    return BY_NAME.page(this.read, { where: sourceFilterSql(filter), first, after });
  }

  /** Creates a source (`affiliationId` a database id). */
  async create(input: SourceCreateInput): Promise<Source> {
    const data = this.validate(input);
    const affiliationId = await this.affiliation(input.affiliationId);
    if (await this.bySlug(input.slug)) {
      throw new UserErrors([userError("TAKEN", `a source with slug "${input.slug}" already exists`, ["input", "slug"])]);
    }
    return this.prisma.source.create({
      data: {
        slug: input.slug,
        name: data.name ?? input.name,
        kind: input.kind,
        role: data.role,
        description: data.description,
        wikidataId: data.wikidataId,
        affiliationId,
        aliases: { create: aliasRows(data.name ?? input.name, data.aliases ?? []) },
      },
    });
  }

  /** Changes a source (`sourceId` and `affiliationId` database ids). */
  async update(input: SourceUpdateInput): Promise<Source> {
    const data = this.validate(input);
    const current = await this.prisma.source.findUnique({ where: { id: input.sourceId }, include: { aliases: true } });
    if (!current) throw new UserErrors([userError("NOT_FOUND", "no source with this ID", ["input", "sourceId"])]);
    const affiliationId = input.affiliationId === undefined ? undefined : await this.affiliation(input.affiliationId);
    if (affiliationId === current.id) {
      throw new UserErrors([userError("INVALID", "a source cannot be affiliated with itself", ["input", "affiliationId"])]);
    }
    const name = data.name ?? current.name;
    const aliases =
      data.aliases ?? current.aliases.filter((a) => a.normalized !== normalizeName(current.name)).map((a) => a.alias);
    return this.prisma.$transaction(async (tx) => {
      if (affiliationId) await refuseCycle(tx, current, affiliationId);
      await tx.sourceAlias.deleteMany({ where: { sourceId: current.id } });
      return tx.source.update({
        where: { id: current.id },
        data: {
          name,
          kind: input.kind ?? undefined,
          role: data.role,
          description: data.description,
          wikidataId: data.wikidataId,
          affiliationId,
          aliases: { create: aliasRows(name, aliases) },
        },
      });
    });
  }

  private validate(input: SourceCreateInput | SourceUpdateInput) {
    return parseInput(sourceInput, input);
  }

  private async affiliation(id: string | null | undefined): Promise<string | null> {
    if (!id) return null;
    const found = await this.prisma.source.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new UserErrors([userError("NOT_FOUND", "no source with this affiliationId", ["input", "affiliationId"])]);
    return found.id;
  }
}
