import { generateDatabase } from "/work/wt/perf/bench/generate";
const size = Number(process.argv[2]);
generateDatabase("postgresql://postgres@127.0.0.1:5432/postgres", `perf_bench_${size}`,
  { claims: size, actors: 2000, articles: Math.min(50_000, Math.max(1_000, size / 20)), events: 200 }, console.log)
  .then((u) => console.log("done", u), (e) => { console.error(e); process.exit(1); });
