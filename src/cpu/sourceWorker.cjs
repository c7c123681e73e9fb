// The worker entry when claimgraph runs from source (tsx in development, jest in tests): a worker
// thread does not get the TypeScript loader of its parent on Node 20 (module hooks are per thread),
// so it registers tsx's require hook itself before loading dispatch.ts (and, through it, the .ts
// modules of the tasks). Compiled code (dist/) loads dispatch.js directly and never reaches this
// file; tsx is a development dependency.
require("tsx/cjs/api").register();
module.exports = require("./dispatch.ts");
