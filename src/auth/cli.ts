import { parseArgs } from "node:util";
import { openReadyDatabase, runMain, StartupError } from "../bootstrap";
import { ApiKeyRole } from "../generated/prisma/enums";
import { UserErrors } from "../graphql/errors";
import { ApiKeyService } from "./service";

const USAGE = `usage: npm run keys -- create --role <viewer|editor|admin> --name "<who it is for>"
       npm run keys -- list
       npm run keys -- revoke <key-id>`;

function parseCli(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { role: { type: "string" }, name: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
    const [command, id] = positionals;
    if (command === "create") {
      const role = values.role?.toUpperCase();
      if (!role || !(role in ApiKeyRole)) throw new Error("--role must be viewer, editor or admin");
      if (!values.name?.trim()) throw new Error("--name is required");
      return { command, role: role as ApiKeyRole, name: values.name } as const;
    }
    if (command === "list" && positionals.length === 1) return { command } as const;
    if (command === "revoke" && id && positionals.length === 2) return { command, id } as const;
    throw new Error(command ? `unknown or incomplete command "${positionals.join(" ")}"` : "a command is required");
  } catch (err) {
    throw new StartupError(`${(err as Error).message}\n${USAGE}`, "USAGE");
  }
}

runMain(async (config, log) => {
  const cli = parseCli(process.argv.slice(2));
  const db = await openReadyDatabase(config, log);
  const keys = new ApiKeyService(db.prisma);
  try {
    if (cli.command === "create") {
      const { apiKey, secret } = await keys.create(cli);
      console.log(`created ${apiKey.role} key "${apiKey.name}" (id ${apiKey.id})`);
      console.log(`secret (shown once; send as "Authorization: Bearer <secret>"):\n${secret}`);
    } else if (cli.command === "list") {
      console.table((await keys.list()).map((k) => ({ id: k.id, name: k.name, role: k.role, prefix: k.prefix, revoked: k.revokedAt?.toISOString() ?? "" })));
    } else {
      const key = await keys.revoke(cli.id);
      console.log(`revoked key "${key.name}" (id ${key.id})`);
    }
  } catch (err) {
    if (err instanceof UserErrors) throw new StartupError(err.message, "NOT_FOUND");
    throw err;
  } finally {
    await db.close();
  }
});
