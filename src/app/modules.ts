import { articleModule } from "../article/module";
import { authModule } from "../auth/module";
import { claimModule } from "../claim/module";
import { eventModule } from "../event/module";
import type { GraphQLModule } from "../graphql/module";
import { liveModule } from "../live/module";
import { proposalModule } from "../proposal/module";
import { sourceModule } from "../source/module";

/**
 * The composition root's one list: every domain module, in dependency order (a module's services
 * may use those of the modules before it). Adding a domain is a folder and a line here.
 */
export const modules: readonly GraphQLModule[] = [sourceModule, claimModule, articleModule, eventModule, authModule, proposalModule, liveModule];
