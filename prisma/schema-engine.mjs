#!/usr/bin/env node
// Drop-in for Prisma's native `schema-engine` binary, which the CLI cannot download without
// internet access. It speaks the same command line and JSON-RPC-over-stdio protocol and
// delegates every method to Prisma's WebAssembly build of the engine (@prisma/schema-engine-wasm)
// running on a PostgreSQL driver adapter. prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const CHAR_OID = 18;
const TEXT_OID = 25;

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: {
    datamodels: { type: "string", multiple: true },
    datasource: { type: "string" },
    version: { type: "boolean" },
    "enabled-preview-features": { type: "string" },
    "extension-types": { type: "string" },
  },
});

/** Logs go to stderr as JSON lines, the format the CLI parses for error codes. */
function logError(message, errorCode) {
  const fields = errorCode ? { message, error_code: errorCode } : { message };
  process.stderr.write(JSON.stringify({ level: "ERROR", target: "schema_engine::logger", fields }) + "\n");
}

/**
 * adapter-pg cannot map Postgres' internal "char" type (oid 18, used by catalog columns the
 * engine introspects); its values are plain strings, so report them as text.
 */
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === "function") [values, callback] = [undefined, values];
    const result = super.query(config, values).then((res) => {
      for (const field of res.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      return res;
    });
    if (!callback) return result;
    result.then((res) => callback(null, res), callback);
    return undefined;
  }
}

function pgConfig(url) {
  const { database, host, port, user, password, ssl } = parseConnectionString(url);
  return { database, host, port: port ? Number(port) : undefined, user, password, ssl, Client: CharAsTextClient };
}

/**
 * adapter-pg's own shadow database ignores `database` when built from a connection string (so it
 * would reset the main database) and drops it before closing its pool; this one does neither.
 */
async function throwawayShadowDb(config) {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  const admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const adapter = await new PrismaPg({ ...config, database: name }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
    await admin.end();
  };
  return adapter;
}

/**
 * adapter-pg runs a migration script by splitting it on every ";", which breaks any function body
 * ($$ … ; … $$) and any comment with a semicolon: the migrations here have both, so applying them to
 * a shadow database (`migrate dev`, `migrate diff --from-migrations`) failed. PostgreSQL's simple
 * query protocol takes the whole script in one message, as psql would send it.
 */
function wholeScripts(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

function adapterFactory(url, shadowDatabaseUrl) {
  const config = pgConfig(url);
  const factory = new PrismaPg(config);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => wholeScripts(await connect());
  factory.connectToShadowDb = shadowDatabaseUrl
    ? async () => wholeScripts(await new PrismaPg(pgConfig(shadowDatabaseUrl)).connect())
    : async () => wholeScripts(await throwawayShadowDb(config));
  return bindMigrationAwareSqlAdapterFactory(factory);
}

async function loadEngine() {
  const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // Node 20 cannot import .wasm modules, so instantiate the bytes by hand.
  const bytes = await readFile(new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm")));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

function datasource() {
  const parsed = args.datasource ? JSON.parse(args.datasource) : {};
  if (!parsed.url) throw new Error("--datasource with a url is required");
  return parsed;
}

/** `schema-engine cli <command>`: one-shot database commands used by `prisma migrate`. */
async function runCliCommand(command) {
  const url = new URL(datasource().url);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: command === "can-connect-to-database" ? url.href : admin.href });
  try {
    await client.connect();
    if (command === "create-database") await client.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
    else if (command === "drop-database") await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)}`);
    else if (command !== "can-connect-to-database") throw new Error(`unknown cli command ${command}`);
  } catch (err) {
    const code = err.code === "3D000" ? "P1003" : err.code === "ECONNREFUSED" ? "P1001" : undefined;
    logError(code === "P1003" ? `Database \`${dbName}\` does not exist` : err.message, code);
    process.exitCode = 1;
  } finally {
    await client.end().catch(() => {});
  }
}

/** JSON-RPC over stdio: one request or response per line, as the native engine does. */
async function serveRpc() {
  const { url, shadowDatabaseUrl } = datasource();
  const datamodels = await Promise.all(
    (args.datamodels ?? []).map(async (file) => [file, await readFile(file, "utf8")]),
  );
  const { SchemaEngine, version } = await loadEngine();
  const factory = adapterFactory(url, shadowDatabaseUrl);
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    (line) => process.stderr.write(line + "\n"),
    factory,
  );

  const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");
  let nextOwnId = 1_000_000;
  const methods = {
    getDatabaseVersion: () => engine.version(),
    // The native engine asks the CLI to print a diff instead of returning it.
    diff: async (params) => {
      const result = await engine.diff(params);
      if (result.stdout) send({ id: nextOwnId++, method: "print", params: { content: result.stdout } });
      return { exitCode: result.exitCode };
    },
    version: () => version(),
  };

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    if (!message.method) continue; // an acknowledgement of our own `print` request
    try {
      const handler = methods[message.method] ?? ((params) => engine[message.method](params ?? {}));
      if (typeof engine[message.method] !== "function" && !methods[message.method]) {
        throw Object.assign(new Error(`Method not found: ${message.method}`), { rpcCode: -32601 });
      }
      const result = await handler(message.params);
      send({ id: message.id, result: result ?? null });
    } catch (err) {
      const data = { is_panic: false, message: err.message ?? String(err), error_code: err.code ?? err.error_code };
      send({ id: message.id, error: { code: err.rpcCode ?? 4466, message: "An error happened. Check the data field for details.", data } });
    }
  }
}

try {
  if (args.version) {
    const { version } = await loadEngine();
    process.stdout.write(`schema-engine-cli ${version()} (wasm)\n`);
  } else if (positionals[0] === "cli") {
    await runCliCommand(positionals[1]);
  } else {
    await serveRpc();
  }
} catch (err) {
  logError(err.message ?? String(err));
  process.exitCode = 1;
}
