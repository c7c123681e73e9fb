// PostGraphile 5 (Amber preset) serving claimgraph's tables, for comparison only.
// PostGraphile 5 expects Node >= 22; this is the one API it needs that Node 20 lacks.
Promise.withResolvers ??= function () {
  let resolve, reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const { createServer } = await import("node:http");
const { postgraphile } = await import("postgraphile");
const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
const { makePgService } = await import("postgraphile/adaptors/pg");
const { grafserv } = await import("postgraphile/grafserv/node");

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"], poolConfig: { max: Number(process.env.DB_POOL_MAX ?? 10) } })],
  grafserv: { port: Number(process.env.PORT), graphqlPath: "/graphql" },
  grafast: { explain: false },
});
const server = createServer();
pgl.createServ(grafserv).addTo(server);
server.listen(Number(process.env.PORT), "127.0.0.1");
