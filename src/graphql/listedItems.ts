import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import { PLAIN_LIST_ROWS } from "../db/paging";
import { textCharsOf, type TextChars } from "./answerText";
import type { Context } from "./context";

/**
 * The items one answer may list, counted as they are resolved. The cost analysis prices a list by
 * its `first` (or `ids`), and a plain list (`Article.claims`, `Event.mentions`, `Source.members`,
 * `Claim.history`, …) as one item whatever the data holds: 30 aliases of a 20,181-claim article
 * answered 90 MB, and a connection under a plain list (`members { claims(first: 100) }`) multiplies
 * by a count the analysis never saw. Counting what execution really lists closes both: an answer
 * whose lists hold more than `max` items in all (MAX_COST, the most a priced answer may list) fails
 * past that point with QUERY_COST_LIMIT_EXCEEDED, and the plain lists' reads stop one row past it.
 * Text counts too, one item per STRING_CHARS_PER_ITEM characters JSON writes for all the answer's
 * strings, lists of strings and other scalars (IDs, URLs, dates, ClaimReview objects: answerText.ts):
 * an article's body (up to 60,000 characters, a seed's 1,000,000) under nested plain lists answered
 * 159 MB for 1,953 items, and its authors and tags (lists, once uncounted) 352 MB. So an answer holds
 * at most about MAX_COST × 1,000 characters of JSON text (three bytes each at most).
 */
export interface ListedItems {
  count: number;
  readonly max: number;
  /** Characters of text answered so far, as JSON writes it (counted in `count` by the thousand). */
  chars?: number;
  /** Items the answer holds of the budget of cost in flight (graphql/admission.ts)… */
  held?: number;
  /** …and how it asks for more: throws OVERLOADED when the budget has no room for `items`. */
  hold?: (items: number) => void;
  /** Set once a value was refused for taking the count past `max`. */
  exceeded?: boolean;
}

/**
 * A subscription event's root value may carry a holder shared by several events (a replay's): they
 * are then counted as one answer, into one counter the first of them creates.
 */
export interface SharedCount {
  listed?: ListedItems;
}

/** Characters of the answer's text that count as one listed item. */
export const STRING_CHARS_PER_ITEM = 1_000;

export function listedItemsError(field: string, max: number): GraphQLError {
  return new GraphQLError(
    `an answer may list at most ${max} items (the query cost limit; text counts one per ${STRING_CHARS_PER_ITEM} characters); ${field} took it past that: ask for fewer aliases or nested lists, or page through the connection that lists these items`,
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

const listItems = (_: ListedItems, value: unknown) => (Array.isArray(value) ? value.length : 0);
/**
 * The items a text value adds (a string, a list of strings, an ID, a URL, a date, a JSON object:
 * answerText.ts): the thousands of characters JSON writes for it completes, short values added up.
 */
const textItems = (chars: TextChars) => (listed: ListedItems, value: unknown) => {
  const before = listed.chars ?? 0;
  // The characters that would take the count past `max`: counting may stop there.
  const room = (Math.floor(before / STRING_CHARS_PER_ITEM) + listed.max - listed.count + 1) * STRING_CHARS_PER_ITEM - before;
  listed.chars = before + chars(value, room);
  return Math.floor(listed.chars / STRING_CHARS_PER_ITEM) - Math.floor(before / STRING_CHARS_PER_ITEM);
};

/**
 * Each event of a subscription is its own answer: its counter is keyed by the event (graphql-js
 * executes every event with the event as the root value) and by the subscription's context — unless
 * the event shares a count with others (SharedCount).
 */
const perEvent = new WeakMap<object, WeakMap<Context, ListedItems>>();

function counterOf(ctx: Context, info: GraphQLResolveInfo): ListedItems | undefined {
  if (ctx.listed) return ctx.listed;
  const event = info.rootValue as { shared?: SharedCount } | null;
  if (!ctx.listedPerEvent || typeof event !== "object" || event === null) return undefined;
  if (event.shared) return (event.shared.listed ??= { count: 0, max: ctx.listedPerEvent });
  let counters = perEvent.get(event);
  if (!counters) perEvent.set(event, (counters = new WeakMap()));
  let listed = counters.get(ctx);
  if (!listed) counters.set(ctx, (listed = { count: 0, max: ctx.listedPerEvent }));
  return listed;
}

/**
 * Wraps every field that lists objects (connections' `edges` and `nodes`, plain lists, `nodes(ids:)`)
 * and every field of text (any scalar but numbers and booleans, lists of them too) so each answer
 * counts what it lists into its counter. Synchronous resolvers
 * stay synchronous (a page of joined claims resolves without promises).
 */
export function countListedItems(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const type = getNullableType(config.type);
      const named = getNamedType(type);
      const text = textCharsOf(named, isListType(type));
      const items = isListType(type) && isCompositeType(named) ? listItems : text ? textItems(text) : undefined;
      if (!items) return config;
      const resolve = config.resolve ?? defaultFieldResolver;
      const field = `${typeName}.${fieldName}`;
      // A value that would take the answer past its bound fails and is not counted: what the answer
      // holds stays within it, and a field that adds nothing never fails.
      const count = (listed: ListedItems, value: unknown) => {
        const chars = listed.chars;
        const added = items(listed, value);
        if (added === 0) return value;
        if (listed.count + added > listed.max) {
          listed.chars = chars;
          listed.exceeded = true;
          throw listedItemsError(field, listed.max);
        }
        if (listed.hold && listed.count + added > listed.held!) {
          try {
            listed.hold(listed.count + added);
          } catch (err) {
            listed.chars = chars;
            throw err;
          }
        }
        listed.count += added;
        return value;
      };
      return {
        ...config,
        resolve: (source, args, ctx: Context, info) => {
          const value = resolve(source, args, ctx, info);
          const listed = counterOf(ctx, info);
          if (!listed) return value;
          return value instanceof Promise ? value.then((v) => count(listed, v)) : count(listed, value);
        },
      };
    },
  });
}
