// Copy of ../shared/peers/node/bench.js (unchanged but for this line), so it forks the
// clients.js beside it.
// Realtime baseline driver: forks client processes holding CLIENTS socket.io
// connections, publishes to Redis channel "events" the way frappe.publish_realtime
// does, and measures end-to-end delivery (publisher -> redis -> socket.io server ->
// every client). Two phases:
//   lat:   LAT_RATE msg/s for LAT_SECS s (paced) -> latency p50/p99 at light load
//   burst: BURST messages published back-to-back -> max delivery throughput
// Everything is bounded: MAX_S per phase, RT_CLIENT_MAX_S per client process.
// Prints one JSON line with the figures.
"use strict";
const { fork } = require("node:child_process");
const path = require("node:path");
const { createClient } = require("redis");

const env = (k, d) => (process.env[k] !== undefined ? process.env[k] : d);
const URL = env("RT_URL", "http://127.0.0.1:19000");
const REDIS = env("RT_REDIS", "redis://127.0.0.1:16380");
const NS = env("RT_NS", "bench.local");
const CLIENTS = Number(env("CLIENTS", 200));
const PROCS = Number(env("PROCS", 2));
const LAT_RATE = Number(env("LAT_RATE", 50));
const LAT_SECS = Number(env("LAT_SECS", 4));
const BURST = Number(env("BURST", 2000));
const MAX_S = Number(env("MAX_S", 20));

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const T0 = nowUs();
const log = (...a) => { if (process.env.RT_VERBOSE) console.error(`[bench +${((nowUs() - T0) / 1e6).toFixed(2)}s]`, ...a); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hardStop = setTimeout(() => { console.error("bench: hard time limit hit"); process.exit(3); }, (3 * MAX_S + 30) * 1000);
hardStop.unref();

function ask(child, msg, reply) {
  return new Promise((resolve) => {
    const h = (m) => { if (m.cmd === reply) { child.off("message", h); resolve(m); } };
    child.on("message", h);
    child.send(msg);
  });
}
const askAll = (kids, msg, reply) => Promise.all(kids.map((k) => ask(k, msg, reply)));

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function waitDeliveries(kids, expected, deadlineUs) {
  for (;;) {
    const got = (await askAll(kids, { cmd: "count" }, "count")).reduce((a, m) => a + m.n, 0);
    if (got >= expected || nowUs() > deadlineUs) return got;
    await sleep(50);
  }
}

async function collect(kids) {
  const reps = await askAll(kids, { cmd: "report" }, "report");
  const n = reps.reduce((a, r) => a + r.n, 0);
  const lastRecv = Math.max(...reps.map((r) => r.lastRecv));
  const all = new Float64Array(reps.reduce((a, r) => a + r.lat.length, 0));
  let o = 0;
  for (const r of reps) { all.set(r.lat, o); o += r.lat.length; }
  all.sort();
  // per message, the fastest client: isolates the relay (publish -> redis -> server -> first socket)
  const first = reps[0].first.slice();
  for (const r of reps.slice(1)) for (let i = 0; i < first.length; i++) first[i] = Math.min(first[i], r.first[i]);
  const firsts = first.filter(Number.isFinite).sort();
  return { n, lastRecv, first_p50_ms: pct(firsts, 50) / 1000, first_p99_ms: pct(firsts, 99) / 1000, p50_ms: pct(all, 50) / 1000, p99_ms: pct(all, 99) / 1000, max_ms: all.length ? all[all.length - 1] / 1000 : NaN };
}

const fs = require("node:fs");
function serverRssKiB() {
  const pid = process.env.RT_SERVER_PID;
  if (!pid) return null;
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]); } catch { return null; }
}

function message(phase, seq) {
  // shape of frappe.realtime.publish_realtime -> redis.publish("events", json)
  return JSON.stringify({ event: "msg", message: { phase, seq, t: nowUs() }, room: "all", namespace: NS });
}

(async () => {
  const pub = createClient({ url: REDIS });
  await pub.connect();
  const per = Math.ceil(CLIENTS / PROCS);
  const maxMsgs = Math.max(LAT_RATE * LAT_SECS, BURST);
  const kids = [];
  for (let i = 0; i < PROCS; i++) {
    const c = Math.min(per, CLIENTS - i * per);
    kids.push(fork(path.join(__dirname, "clients.js"), [URL, NS, String(c), String(c * maxMsgs), String(maxMsgs)],
      { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }
  const conn = await Promise.race([askAll(kids, { cmd: "connect" }, "connected"), sleep(30000).then(() => null)]);
  if (!conn) throw new Error("clients did not connect within 30 s");
  const connected = conn.reduce((a, m) => a + m.connected, 0);
  log("connected", connected);
  const rssConnected = serverRssKiB();
  if (connected !== CLIENTS) throw new Error(`only ${connected}/${CLIENTS} clients connected`);

  // --- phase 1: paced, latency
  await askAll(kids, { cmd: "phase", phase: "lat" }, "phase-ok");
  const nLat = LAT_RATE * LAT_SECS;
  const t0 = nowUs();
  for (let i = 0; i < nLat; i++) {
    const due = t0 + (i * 1e6) / LAT_RATE;
    const wait = due - nowUs();
    if (wait > 1000) await sleep(wait / 1000);
    await pub.publish("events", message("lat", i));
  }
  await waitDeliveries(kids, nLat * CLIENTS, nowUs() + MAX_S * 1e6);
  const lat = await collect(kids);
  log("lat phase done", lat.n);
  const rssAfterLat = serverRssKiB();

  // --- phase 2: burst, throughput
  await askAll(kids, { cmd: "phase", phase: "burst" }, "phase-ok");
  const b0 = nowUs();
  const pubs = [];
  for (let i = 0; i < BURST; i++) pubs.push(pub.publish("events", message("burst", i)));
  await Promise.all(pubs);
  const pubDone = nowUs();
  await waitDeliveries(kids, BURST * CLIENTS, b0 + MAX_S * 1e6);
  const burst = await collect(kids);
  const burstSecs = (burst.lastRecv - b0) / 1e6;
  log("burst phase done", burst.n);
  const rssAfterBurst = serverRssKiB();

  await Promise.all(kids.map((k) => { k.send({ cmd: "close" }); return new Promise((r) => k.once("exit", r)); }));
  log("clients closed");
  await pub.quit();
  log("publisher closed");
  console.log(JSON.stringify({
    clients: CLIENTS, procs: PROCS,
    server_rss_kib: { connected: rssConnected, after_paced: rssAfterLat, after_burst: rssAfterBurst },
    lat: { rate_msg_s: LAT_RATE, msgs: nLat, expected: nLat * CLIENTS, delivered: lat.n,
           deliveries_per_s: (LAT_RATE * CLIENTS), p50_ms: lat.p50_ms, p99_ms: lat.p99_ms, max_ms: lat.max_ms,
           first_client_p50_ms: lat.first_p50_ms, first_client_p99_ms: lat.first_p99_ms },
    burst: { msgs: BURST, expected: BURST * CLIENTS, delivered: burst.n, publish_s: (pubDone - b0) / 1e6,
             secs: burstSecs, deliveries_per_s: burst.n / burstSecs, msgs_per_s: burst.n / CLIENTS / burstSecs,
             p50_ms: burst.p50_ms, p99_ms: burst.p99_ms },
  }));
  clearTimeout(hardStop);
  process.exit(0);   // don't linger on the connect-timeout timer
})().catch((e) => { console.error("bench failed:", e.message); process.exit(1); });
