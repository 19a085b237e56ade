// A job run by a real `bench worker` (Redis queue) reports progress to a realtime task: the
// client subscribes to the task id the enqueuing call handed out (task_subscribe, as
// frappe.realtime.subscribe does) and receives the job's `progress` events in task_progress:<id>.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const h = require("../lib/harness");

let s, worker;

before(async () => {
  s = await h.start();
  const built = process.env.SB_RT_APP_DIR;
  assert.ok(built && fs.existsSync(path.join(built, "jobs_example.dll")), "run.sh builds apps/jobs_example into SB_RT_APP_DIR");
  fs.mkdirSync(path.join(s.root, "apps", "jobs_example"), { recursive: true });
  fs.copyFileSync(path.join(built, "jobs_example.dll"), path.join(s.root, "apps", "jobs_example", "jobs_example.dll"));
  fs.writeFileSync(path.join(s.root, "sites", "apps.txt"), "frappe\njobs_example\n");
});

after(async () => {
  if (worker && worker.exitCode === null) { worker.kill("SIGTERM"); await new Promise((r) => worker.once("exit", r)); }
  await h.stop();
});

test("a worker's PublishProgress reaches the client subscribed to task_progress:<id>", async () => {
  // The enqueuing side: a method enqueues the job with a new task id and returns it.
  const out = h.bench(s.root, ["--site", s.site, "execute", "jobs_example.enqueue_progress_task", "--kwargs", JSON.stringify({ steps: 4, delay_ms: 20 })]);
  const { task_id: taskId, job_id: jobId } = JSON.parse(out.trim().split("\n").at(-1));
  assert.match(taskId, /^[0-9a-f]{32}$/);
  assert.ok(jobId.startsWith(s.site + "::"), jobId);

  // The browser side: a Website User (no permission check on task rooms) and a bystander.
  const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001" }));
  const bob = await h.connected(h.connect({ sid: "bobsid00000000000000001", transports: ["websocket"] }));
  const progress = h.collect(carol, "progress"), done = h.collect(carol, "task_done");
  const bobProgress = h.collect(bob, "progress"), bobDone = h.collect(bob, "task_done");
  await h.send(carol, "task_subscribe", taskId);
  await h.send(bob, "task_subscribe", "some-other-task");

  const log = path.join(s.root, "worker.log");
  worker = spawn(path.join(h.REPO, "bench"), ["worker", "--queue", "default"],
    { cwd: s.root, stdio: ["ignore", fs.openSync(log, "a"), fs.openSync(log, "a")] });
  await h.waitFor(() => done.length === 1, 30000).catch((e) => { throw new Error(e.message + "\n" + fs.readFileSync(log, "utf8").slice(-3000)); });

  assert.deepEqual(progress, [1, 2, 3, 4].map((i) => ({ percent: i * 25, title: "Example task", description: `step ${i} of 4`, task_id: taskId })));
  assert.deepEqual(done, [{ steps: 4, user: "Administrator", task_id: taskId }]);
  await h.sleep(200);
  assert.deepEqual(bobProgress, [], "another task's subscriber gets nothing");
  assert.deepEqual(bobDone, []);
  carol.close(); bob.close();
});
