// Test bench for the realtime conformance suite: a throwaway bench with two SQLite sites,
// users/sessions/API keys written straight into the site databases, and `bench socketio`
// started as a real process (Redis from SB_REDIS_QUEUE), stopped by PID.
"use strict";
const { spawn, execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const net = require("node:net");
const { io } = require("socket.io-client");
const { createClient } = require("redis");

const REPO = path.resolve(__dirname, "../../../..");
const REDIS = process.env.SB_REDIS_QUEUE || "redis://127.0.0.1:16379";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

function bench(cwd, args, env = {}) {
  return execFileSync(path.join(REPO, "bench"), args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }).toString();
}

// Fernet, as Frappe encrypts api_secret with the site's encryption_key.
function fernetEncrypt(key, text) {
  const k = Buffer.from(key.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv("aes-128-cbc", k.subarray(16), iv);
  const ct = Buffer.concat([c.update(text, "utf8"), c.final()]);
  const ts = Buffer.alloc(8); ts.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)));
  const body = Buffer.concat([Buffer.from([0x80]), ts, iv, ct]);
  const mac = crypto.createHmac("sha256", k.subarray(0, 16)).update(body).digest();
  return Buffer.concat([body, mac]).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

const q = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : "'" + String(v).replace(/'/g, "''") + "'");
const now = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86400e3 - new Date().getTimezoneOffset() * 60e3).toISOString().replace("T", " ").replace("Z", "000");

function seed(sitePath, siteConfig, users) {
  const db = path.join(sitePath, "db", siteConfig.db_name + ".sqlite3");
  const sql = [];
  const stamp = now();
  for (const u of users) {
    sql.push(`INSERT INTO "tabUser" (name, owner, modified_by, creation, modified, email, first_name, enabled, user_type, api_key) VALUES (${q(u.name)}, 'Administrator', 'Administrator', ${q(stamp)}, ${q(stamp)}, ${q(u.name)}, ${q(u.name)}, 1, ${q(u.userType)}, ${q(u.apiKey)});`);
    (u.roles || []).forEach((role, i) =>
      sql.push(`INSERT INTO "tabHas Role" (name, owner, modified_by, creation, modified, parent, parentfield, parenttype, idx, role) VALUES (${q(crypto.randomBytes(5).toString("hex"))}, 'Administrator', 'Administrator', ${q(stamp)}, ${q(stamp)}, ${q(u.name)}, 'roles', 'User', ${i + 1}, ${q(role)});`));
    for (const s of u.sessions || [])
      sql.push(`INSERT INTO "tabSessions" (sid, user, sessiondata, ipaddress, lastupdate, status) VALUES (${q(s.sid)}, ${q(u.name)}, ${q(JSON.stringify({ user_type: u.userType }))}, '127.0.0.1', ${q(now(s.ageDays ? -s.ageDays : 0))}, 'Active');`);
    if (u.apiSecret)
      sql.push(`INSERT INTO "__Auth" (doctype, name, fieldname, password, encrypted) VALUES ('User', ${q(u.name)}, 'api_secret', ${q(fernetEncrypt(siteConfig.encryption_key, u.apiSecret))}, 1);`);
  }
  execFileSync("sqlite3", [db], { input: sql.join("\n") });
}

const tag = crypto.randomBytes(3).toString("hex");
const SITE = `rt-${tag}.local`;
const OTHER = `rt-${tag}-b.local`;

const USERS = [
  { name: "alice@example.com", userType: "System User", roles: ["System Manager"], sessions: [{ sid: "alicesid0000000000000001" }, { sid: "aliceold0000000000000001", ageDays: 30 }], apiKey: "alicekey", apiSecret: "alicesecret" },
  { name: "bob@example.com", userType: "System User", roles: ["System Manager"], sessions: [{ sid: "bobsid00000000000000001" }] },
  { name: "carol@example.com", userType: "Website User", roles: [], sessions: [{ sid: "carolsid0000000000000001" }] },
];

let state = null;

/** Starts (once per test file) a bench with two sites and `bench socketio` on a free port. */
async function start() {
  if (state) return state;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sb-rt-"));
  fs.mkdirSync(path.join(root, "sites"), { recursive: true });
  fs.writeFileSync(path.join(root, "sites", "common_site_config.json"), JSON.stringify({ redis_queue: REDIS }));
  for (const site of [SITE, OTHER]) {
    bench(root, ["new-site", site, "--db-type", "sqlite", "--admin-password", "admin"]);
    const sitePath = path.join(root, "sites", site);
    // Sessions exist only on the first site: a sid is worth nothing on another site.
    seed(sitePath, JSON.parse(fs.readFileSync(path.join(sitePath, "site_config.json"), "utf8")),
      site === SITE ? USERS : USERS.map((u) => ({ ...u, sessions: [] })));
  }
  const port = await freePort();
  const log = fs.openSync(path.join(root, "socketio.log"), "a");
  const proc = spawn(path.join(REPO, "bench"), ["socketio", "--port", String(port), "--bind", "127.0.0.1"],
    { cwd: root, env: { ...process.env, SHARPBENCH_REALTIME_ECHO: "1" }, stdio: ["ignore", log, log] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(url + "/healthz")).ok) break; } catch { /* not up yet */ }
    if (i > 600 || proc.exitCode !== null) throw new Error("bench socketio did not start: " + fs.readFileSync(path.join(root, "socketio.log"), "utf8").slice(-3000));
    await sleep(100);
  }
  const pub = createClient({ url: REDIS });
  await pub.connect();
  state = { root, url, port, proc, pub, site: SITE, other: OTHER, clients: [] };
  return state;
}

async function stop() {
  if (!state) return;
  for (const c of state.clients) c.close();
  await state.pub.quit();
  state.proc.kill("SIGTERM");
  await new Promise((r) => (state.proc.exitCode !== null ? r() : state.proc.once("exit", r)));
  fs.rmSync(state.root, { recursive: true, force: true });
  state = null;
}

/** A socket.io-client connection to a site namespace, with the headers nginx would send. */
function connect(opts = {}) {
  const s = state;
  const site = opts.site || s.site;
  const headers = { "X-Frappe-Site-Name": "siteHeader" in opts ? opts.siteHeader : site, Origin: "origin" in opts ? opts.origin : s.url };
  if (opts.sid !== undefined) headers.Cookie = `sid=${opts.sid}; system_user=yes`;
  if (opts.cookie !== undefined) headers.Cookie = opts.cookie;
  if (opts.authorization) headers.Authorization = opts.authorization;
  for (const k of Object.keys(headers)) if (headers[k] === null) delete headers[k];
  const client = io(`${opts.url || s.url}/${opts.nsp ?? site}`, {
    transports: opts.transports || ["polling", "websocket"],
    extraHeaders: headers,
    forceNew: true,
    reconnection: opts.reconnection ?? false,
    timeout: 5000,
    auth: opts.auth,
    path: opts.path,
  });
  s.clients.push(client);
  return client;
}

function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), ms);
    emitter.once(event, (...args) => { clearTimeout(t); resolve(args.length > 1 ? args : args[0]); });
  });
}

/** Connects and resolves when connected, or rejects with the connect_error message. */
function connected(client) {
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve(client));
    client.once("connect_error", (e) => reject(e));
  });
}

/** Emits a Frappe client event and waits until the server processed it (our ack extension). */
const send = (client, ...args) => client.timeout(5000).emitWithAck(...args);

/** Publishes on Redis `events` exactly as frappe.publish_realtime does. */
async function publish(event, message, room, namespace) {
  await state.pub.publish("events", JSON.stringify({ event, message, room, namespace: namespace ?? state.site }));
}

async function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(10);
  }
}

/** Collects events of one name on a client, to prove something did or did not arrive. */
function collect(client, event) {
  const got = [];
  client.on(event, (m) => got.push(m));
  return got;
}

module.exports = { waitFor, start, stop, connect, connected, once, send, publish, collect, sleep, bench, freePort, REPO, REDIS, USERS };
