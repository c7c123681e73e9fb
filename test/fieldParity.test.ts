// Lists read only the columns the selected fields need (src/*/sql.ts maps each field to its columns);
// a single object through `node(id:)` reads whole rows. Every scalar field of Claim, Source, Article
// and Event, taken from the served schema, must read the same both ways: a field whose columns a
// list leaves out answers null or an error there.

import { getNamedType, isLeafType, isObjectType, isRequiredArgument } from "graphql";
import { servedSchema } from "../src/app/schema";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

const TYPES = ["Claim", "Source", "Article", "Event"] as const;
type TypeName = (typeof TYPES)[number];
type Item = Record<string, unknown> & { id: string };

/** The fields of a type a list can select without arguments whose values are scalars or enums (or lists of them). */
function leafFields(typeName: TypeName): string[] {
  const type = servedSchema().getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) && !field.args.some(isRequiredArgument))
    .map((field) => field.name);
}

const FIELDS = Object.fromEntries(TYPES.map((t) => [t, leafFields(t)])) as Record<TypeName, string[]>;

/**
 * Every field at once, then each alone beside the id that matches it to its node: alone, a field
 * cannot lean on columns another selected field brings.
 */
const selections = (type: TypeName) => [FIELDS[type].join(" "), ...FIELDS[type].filter((f) => f !== "id").map((f) => `id ${f}`)];

const ORDERS = ["NEWEST", "OLDEST", "STATUS", "ACTOR"];

describe.each(databaseKinds())("every scalar field reads the same through a list and through node(id:) on %s", (kind) => {
  let server: TestServer;
  const byNode = new Map<string, Promise<Item>>();
  /** Per type, the fields some compared object had a value for (null on both sides would prove nothing). */
  const seen = Object.fromEntries(TYPES.map((t) => [t, new Set<string>()])) as Record<TypeName, Set<string>>;

  async function read(query: string): Promise<any> {
    const { body } = await server.gql(query);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  function node(type: TypeName, id: string): Promise<Item> {
    if (!byNode.has(id)) {
      byNode.set(id, read(`{ node(id: ${JSON.stringify(id)}) { ... on ${type} { ${FIELDS[type].join(" ")} } } }`).then((d) => d.node));
    }
    return byNode.get(id)!;
  }

  /** Each listed object, as far as it was selected, equals the same object read through node(id:). */
  async function expectParity(type: TypeName, listed: Item[]) {
    expect(listed.length).toBeGreaterThan(0);
    for (const item of listed) {
      const whole = await node(type, item.id);
      expect(whole).not.toBeNull();
      expect({ [type]: item }).toEqual({ [type]: Object.fromEntries(Object.keys(item).map((f) => [f, whole[f]])) });
      for (const [field, value] of Object.entries(item)) if (value !== null) seen[type].add(field);
    }
  }

  beforeAll(async () => {
    // A publisher, so claims with a verdict have a ClaimReview to compare.
    server = await startServer(kind, {
      env: { CLAIMREVIEW_AUTHOR_NAME: "Parity Desk", CLAIMREVIEW_URL_TEMPLATE: "https://factcheck.example.org/{id}" },
    });
    const editor = await createKey(server, "EDITOR", "Parity editor");
    const claims: Item[] = (await read(`{ claims(first: 100) { nodes { id saidAtPrecision } } }`)).claims.nodes;
    // A verdict for a claim of each date precision: a ClaimReview dates the claim as precisely as known.
    const rated = [...new Map(claims.map((c) => [c.saidAtPrecision, c.id])).values()];
    const [attributed, retired] = claims.map((c) => c.id).filter((id) => !rated.includes(id));
    const steps: [string, Record<string, unknown>][] = [
      ...rated.map((claimId): [string, Record<string, unknown>] => ["claimSetStatus", { claimId, status: "MISLEADING", rationale: "Omits context." }]),
      ["claimSetAttribution", { claimId: attributed, attribution: "CONFIRMED_PRIMARY", rationale: "On the record." }],
      ["claimRetire", { claimId: retired }],
    ];
    for (const [mutation, input] of steps) {
      const type = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
      const { body } = await server.gql(`mutation($input: ${type}!) { ${mutation}(input: $input) { userErrors { code } } }`, { input }, editor);
      expect(body.errors).toBeUndefined();
      expect(body.data[mutation].userErrors).toEqual([]);
    }
  });
  afterAll(() => server?.close());

  test.each(ORDERS)("claims ordered %s, retired ones included, with their sources and articles", async (order) => {
    const claims = (selection: string) => `{ claims(first: 100, orderBy: ${order}, filter: { includeRetired: true }) { nodes { ${selection} } } }`;
    const all = (await read(claims(`${FIELDS.Claim.join(" ")} source { ${FIELDS.Source.join(" ")} } article { ${FIELDS.Article.join(" ")} }`))).claims.nodes;
    expect(all.some((c: Item) => c.retiredAt !== null)).toBe(true);
    expect(all.some((c: Item) => c.claimReview !== null)).toBe(true);
    await expectParity("Source", all.map((c: any) => c.source));
    await expectParity("Article", all.map((c: any) => c.article));
    for (const selection of selections("Claim")) await expectParity("Claim", (await read(claims(selection))).claims.nodes);
    for (const selection of selections("Source")) {
      await expectParity("Source", (await read(claims(`id source { ${selection} }`))).claims.nodes.map((c: any) => c.source));
    }
    for (const selection of selections("Article")) {
      await expectParity("Article", (await read(claims(`id article { ${selection} }`))).claims.nodes.map((c: any) => c.article));
    }
  });

  test("claims through edges", async () => {
    const { claims } = await read(`{ claims(first: 100, filter: { includeRetired: true }) { edges { node { ${FIELDS.Claim.join(" ")} } } } }`);
    await expectParity("Claim", claims.edges.map((e: any) => e.node));
  });

  test("sources, articles and events", async () => {
    for (const selection of selections("Source")) await expectParity("Source", (await read(`{ sources(first: 100) { nodes { ${selection} } } }`)).sources.nodes);
    for (const selection of selections("Article")) await expectParity("Article", (await read(`{ articles(first: 100) { nodes { ${selection} } } }`)).articles.nodes);
    for (const selection of selections("Event")) await expectParity("Event", (await read(`{ events(first: 100) { nodes { ${selection} } } }`)).events.nodes);
  });

  test("claims listed under sources, events and articles", async () => {
    for (const selection of selections("Claim")) {
      const { sources, events, articles } = await read(`{
        sources(first: 100) { nodes { claims(first: 5, includeRetired: true) { nodes { ${selection} } } } }
        events(first: 100) { nodes { claims(first: 5) { nodes { ${selection} } } } }
        articles(first: 100) { nodes { claims(includeRetired: true) { ${selection} } } }
      }`);
      await expectParity("Claim", sources.nodes.flatMap((s: any) => s.claims.nodes));
      await expectParity("Claim", events.nodes.flatMap((e: any) => e.claims.nodes));
      await expectParity("Claim", articles.nodes.flatMap((a: any) => a.claims));
    }
  });

  test("every field was compared with a value somewhere", () => {
    for (const type of TYPES) expect({ [type]: FIELDS[type].filter((f) => !seen[type].has(f)) }).toEqual({ [type]: [] });
  });
});
