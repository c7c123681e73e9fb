import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, getNullableType, GraphQLError, isCompositeType, isListType, getNamedType, type GraphQLSchema } from "graphql";
import { PLAIN_LIST_ROWS } from "../db/paging";
import type { Context } from "./context";

/**
 * The items one answer may list, counted as they are resolved. The cost analysis prices a list by
 * its `first` (or `ids`), and a plain list (`Article.claims`, `Event.mentions`, `Source.members`,
 * `Claim.history`, …) as one item whatever the data holds: 30 aliases of a 20,181-claim article
 * answered 90 MB, and a connection under a plain list (`members { claims(first: 100) }`) multiplies
 * by a count the analysis never saw. Counting what execution really lists closes both: an answer
 * whose lists hold more than `max` items in all (MAX_COST, the most a priced answer may list) fails
 * past that point with QUERY_COST_LIMIT_EXCEEDED, and the plain lists' reads stop one row past it.
 */
export interface ListedItems {
  count: number;
  readonly max: number;
}

export function listedItemsError(field: string, max: number): GraphQLError {
  return new GraphQLError(
    `an answer may list at most ${max} items (the query cost limit); ${field} took it past that: ask for fewer aliases or nested lists, or page through the connection that lists these items`,
    { extensions: { code: "QUERY_COST_LIMIT_EXCEEDED", maxItems: max, field } },
  );
}

/** A plain list's read that came back with PLAIN_LIST_ROWS rows was cut (db/paging.ts): it cannot be answered whole. */
export function checkedPlainRead<T>(field: string, rows: T[]): T[] {
  const value = plainListValue(field, rows);
  if (value instanceof GraphQLError) throw value;
  return value;
}

/** The rows, or the error a cut read answers: the value to prime a plain list's loader with (DataLoader rejects with an Error). */
export function plainListValue<T>(field: string, rows: T[]): T[] | GraphQLError {
  return rows.length >= PLAIN_LIST_ROWS ? listedItemsError(field, PLAIN_LIST_ROWS - 1) : rows;
}

function count(listed: ListedItems, field: string, value: unknown): void {
  if (!Array.isArray(value)) return;
  listed.count += value.length;
  if (listed.count > listed.max) throw listedItemsError(field, listed.max);
}

/**
 * Wraps every field that lists objects (connections' `edges` and `nodes`, plain lists, `nodes(ids:)`)
 * so each answer counts the items it lists into `ctx.listed`. Only requests that carry a counter are
 * counted: a subscription's context lives as long as the subscription, and each of its events lists
 * one claim. Synchronous resolvers stay synchronous (a page of joined claims resolves without promises).
 */
export function countListedItems(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const type = getNullableType(config.type);
      if (!isListType(type) || !isCompositeType(getNamedType(type))) return config;
      const resolve = config.resolve ?? defaultFieldResolver;
      const field = `${typeName}.${fieldName}`;
      return {
        ...config,
        resolve: (source, args, ctx: Context, info) => {
          const value = resolve(source, args, ctx, info);
          const listed = ctx.listed;
          if (!listed) return value;
          if (value instanceof Promise) return value.then((v) => (count(listed, field, v), v));
          count(listed, field, value);
          return value;
        },
      };
    },
  });
}
