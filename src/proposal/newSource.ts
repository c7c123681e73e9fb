import type { Prisma, SourceKind } from "../generated/prisma/client";
import { slugify } from "../article/intake";
import { aliasRows } from "../source/service";
import { normalizeName } from "../source/names";
import { parseInput } from "../graphql/errors";
import { role, sourceName } from "../validation/fields";
import { z } from "zod";

/** The same caps as sourceCreate's: a proposed name is text from the article. */
const proposedInput = z.object({ name: sourceName, role: role.nullish() });

/**
 * The source a proposal's new speaker stands for, inside the accepting transaction: the existing
 * source with that name or alias (another editor may have created it since the proposal was listed),
 * else a new one with a slug made from the name. Serialised per name by a transaction-scoped advisory
 * lock, so two editors accepting proposals for the same person at once make one source, not two.
 */
export async function sourceFor(tx: Prisma.TransactionClient, proposed: { name: string; kind: SourceKind; role: string | null }): Promise<string> {
  const valid = parseInput(proposedInput, { name: proposed.name, role: proposed.role });
  const normalized = normalizeName(valid.name);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"source-name:" + normalized}))`;
  const existing = await tx.sourceAlias.findFirst({ where: { normalized }, select: { sourceId: true }, orderBy: { sourceId: "asc" } });
  if (existing) return existing.sourceId;
  const base = slugify(valid.name).slice(0, 60).replace(/-+$/, "") || "source";
  const taken = new Set((await tx.source.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((s) => s.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  const created = await tx.source.create({
    data: { slug, name: valid.name, kind: proposed.kind, role: valid.role ?? null, aliases: { create: aliasRows(valid.name, []) } },
    select: { id: true },
  });
  return created.id;
}
