import { cpuPool, closeCpuPool } from "./src/cpu/pool";
(async () => {
  const t = Date.now();
  console.log("thread", await cpuPool().run("whereAmI", undefined as never), Date.now() - t, "ms");
  const p = await cpuPool().run("extract", { body: "“We are doing everything we can,” said Maria Lopez.", sources: [] });
  console.log(p.length, p[0]?.text);
  console.log(await cpuPool().run("reanchor", { body: "hello world said x", selectors: [{ exact: "world", prefix: "", suffix: "", start: 0 }] }));
  await closeCpuPool();
})();
