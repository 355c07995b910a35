// `npm run bench`: compile a synthetic corpus of 3,000 varied rules, whole process, cold, to each
// implemented target and to all of them; record rules/s, ms/rule, peak RSS and time per stage in
// BENCHMARKS.md. Budget: 3,000 rules to one target < 1 s wall; to all five targets < 2 s.
import { spawnSync } from "node:child_process";
import { cpus, tmpdir } from "node:os";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "./generate-corpus.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = path.join(root, "dist/bin/detc.mjs");
const RULES = Number(process.env.BENCH_RULES ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

// Where the corpus and the outputs live. Memory (/dev/shm) measures detc's own work; the disk (the
// OS temp folder) adds this machine's file system, which on these VMs swings widely with other disk
// traffic: creating a file takes ~25 µs to ~700 µs, and reading 3,000 rule files 40 to 300 ms
// (deleting thousands of files on this ext4, mounted with discard, slows it for seconds). The budget
// is judged on the memory figures; the disk figure is shown beside them.
const work = mkdtempSync(path.join(tmpdir(), "detc-bench-"));
const memoryDir = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/detc-bench-") : undefined;
for (const dir of [work, memoryDir]) if (dir) generateCorpus(path.join(dir, "rules"), RULES);
const { backends } = await import(path.join(root, "dist/backends/registry.js"));
const names = backends.map((b) => b.name);
const sets = [...names.map((n) => [n]), ...(names.length > 1 ? [names] : [])];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function run(args, okCodes = [0], cwd = memoryDir ?? work) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - started;
  if (!okCodes.includes(child.status)) throw new Error(`detc ${args.join(" ")} exited ${child.status}:\n${child.stderr.slice(0, 2000)}`);
  const line = child.stderr.split("\n").find((l) => l.startsWith("timings:")) ?? "";
  const stage = Object.fromEntries([...line.matchAll(/(\w[\w ]*?) (\d+) (ms|MiB)/g)].map((m) => [m[1].trim().replace(/^.* /, ""), Number(m[2])]));
  return { wall, stage };
}

function timeRun(set, base, label, i) {
  // A new folder per run, nothing deleted on disk until the end, and `sync` first, so no run waits
  // for the write-back of the one before it.
  const out = path.join(base, `out-${label}-${i}`);
  spawnSync("sync");
  const result = run(["compile", "rules", "--target", set.join(","), "--out", out, "--timings"], [0], base);
  if (base === memoryDir) rmSync(out, { recursive: true, force: true });
  return result;
}

// One untimed run first: the first target measured should not pay for filling the OS's caches.
run(["compile", "rules", "--target", names.join(","), "--out", path.join(memoryDir ?? work, "warm-up")]);
if (memoryDir) run(["compile", "rules", "--target", names.join(","), "--out", path.join(work, "warm-up")], [0], work);

// Round by round over every target set, so a burst of noise on this shared VM (it comes and goes
// over tens of seconds) falls on all of them alike instead of on one set's runs.
const labels = sets.map((set) => (set.length === 1 ? set[0] : "all"));
const inMemory = sets.map(() => []);
const onDisk = sets.map(() => []);
for (let i = 0; i < RUNS; i++)
  sets.forEach((set, s) => inMemory[s].push(timeRun(set, memoryDir ?? work, labels[s], i)));
for (let i = 0; i < RUNS; i++)
  sets.forEach((set, s) => onDisk[s].push(memoryDir ? timeRun(set, work, labels[s], i) : inMemory[s][i]));

const rows = sets.map((set, s) => {
  const results = inMemory[s];
  const wall = median(results.map((r) => r.wall));
  const pick = (k) => median(results.map((r) => r.stage[k] ?? 0));
  return {
    targets: set.join(", "),
    wall,
    min: Math.min(...results.map((r) => r.wall)),
    disk: median(onDisk[s].map((r) => r.wall)),
    rulesPerSecond: (RULES / wall) * 1000,
    msPerRule: wall / RULES,
    rss: pick("RSS"),
    start: pick("start"),
    parse: pick("parse"),
    check: pick("check"),
    lower: pick("lower"),
    render: pick("render"),
    write: pick("write"),
    perTarget: set.length > 1 ? set.map((t) => `${t} ${pick(t)} ms`).join(", ") : undefined,
    budget: set.length === 1 ? 1000 : 2000,
  };
});
const testRun = median(Array.from({ length: RUNS }, () => run(["test", "rules", "--format", "json"], [0, 1]).wall));
rmSync(work, { recursive: true, force: true });
if (memoryDir) rmSync(memoryDir, { recursive: true, force: true });

const cpu = cpus()[0]?.model ?? "unknown CPU";
const lines = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (bench/run.mjs): a synthetic corpus of " + RULES.toLocaleString("en") + " varied rules (every operator, nesting, arrays, named lists, two tests each; bench/generate-corpus.mjs), compiled by the bundled CLI as a fresh process into an empty folder, " + RUNS + " runs taken round by round over the target sets, median. The corpus and the output folder are in memory (" + (memoryDir ? "/dev/shm" : "not available here: on disk") + ") for the main figures, and on disk (the OS temp folder) for the last column. Stage times come from `detc compile --timings` (start = process start to the command, Node's own start-up included; parse = read + lex + parse + AST; check; lower = IR; render = every backend; write = plan + atomic writes), from the in-memory runs.",
  "",
  `Machine: ${cpu}, ${cpus().length} cores, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "Budget: the full corpus to one target under 1 s of wall time; to all five targets under 2 s (once they exist). For scale: pySigma converts about 280 rules/s to one target.",
  "",
  "| targets | wall (median) | best | rules/s | ms/rule | peak RSS | start | parse | check | lower | render | write | budget | wall, on disk |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.targets} | ${r.wall.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${r.rulesPerSecond.toFixed(0)} | ${r.msPerRule.toFixed(3)} | ${r.rss} MiB | ${r.start} ms | ${r.parse} ms | ${r.check} ms | ${r.lower} ms | ${r.render} ms | ${r.write} ms | ${r.wall <= r.budget ? "within" : "OVER"} ${r.budget} ms | ${r.disk.toFixed(0)} ms |`),
  "",
  ...rows.filter((r) => r.perTarget).map((r) => `Render time per target when compiling to all of them at once: ${r.perTarget}.`),
  "",
  `\`detc test\` on the same corpus (${(RULES * 2).toLocaleString("en")} tests through the reference evaluator; the random conditions make some fail, which is fine here): ${testRun.toFixed(0)} ms wall (median).`,
  "",
];
// The hand-written reading of the figures (bench/notes.md) follows the measured table.
let notes = "";
try {
  notes = "\n" + readFileSync(path.join(root, "bench/notes.md"), "utf8");
} catch {}
writeFileSync(path.join(root, "BENCHMARKS.md"), lines.join("\n") + notes);
process.stdout.write(lines.join("\n"));
