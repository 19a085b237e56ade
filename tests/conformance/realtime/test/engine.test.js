// Engine.IO v4 on the wire, and bad input: malformed packets, oversized payloads, overlapping
// polls, unknown sids, wrong transports. Every failure must end the one session cleanly and
// leave the server serving others.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const WebSocket = require("ws");
const { io } = require("socket.io-client");
const h = require("../lib/harness");

let s;
before(async () => { s = await h.start(); });
after(h.stop);

const eio = (qs = "") => `${s.url}/socket.io/?EIO=4&transport=polling${qs}`;
async function handshake() {
  const r = await fetch(eio());
  const body = await r.text();
  assert.equal(r.status, 200);
  assert.equal(body[0], "0");
  return JSON.parse(body.slice(1));
}
const poll = (sid, init) => fetch(eio(`&sid=${sid}`), init);
const post = (sid, body) => fetch(eio(`&sid=${sid}`), { method: "POST", body, headers: { "Content-Type": "text/plain;charset=UTF-8" } });
const json = async (r) => ({ status: r.status, body: await r.json() });

async function assertGone(sid) {
  assert.deepEqual(await json(await poll(sid)), { status: 400, body: { code: 1, message: "Session ID unknown" } });
}

async function assertServerFine() {
  const c = io(`${s.url}/sharpbench-echo`, { transports: ["websocket"], forceNew: true, reconnection: false });
  await h.connected(c);
  c.close();
}

test("handshake: open packet as engine.io 6 sends it", async () => {
  const r = await fetch(eio(), { headers: { Origin: "http://example.test:8080" } });
  assert.equal(r.headers.get("content-type"), "text/plain; charset=UTF-8");
  assert.equal(r.headers.get("access-control-allow-origin"), "http://example.test:8080");
  assert.equal(r.headers.get("access-control-allow-credentials"), "true");
  const text = await r.text();
  assert.match(text, /^0\{"sid":"[A-Za-z0-9_-]{20}","upgrades":\["websocket"\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000\}$/);
});

test("CORS preflight echoes the origin with credentials", async () => {
  const r = await fetch(eio(), { method: "OPTIONS", headers: { Origin: "http://a.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
  assert.equal(r.status, 204);
  assert.equal(r.headers.get("access-control-allow-origin"), "http://a.test");
  assert.equal(r.headers.get("access-control-allow-credentials"), "true");
  assert.equal(r.headers.get("access-control-allow-headers"), "content-type");
  assert.match(r.headers.get("access-control-allow-methods"), /POST/);
});

test("bad requests get engine.io's JSON errors", async () => {
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?EIO=4&transport=carrier-pigeon`)), { status: 400, body: { code: 0, message: "Transport unknown" } });
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?EIO=4`)), { status: 400, body: { code: 0, message: "Transport unknown" } });
  await assertGone("AAAAAAAAAAAAAAAAAAAA");
  assert.deepEqual(await json(await fetch(eio(), { method: "POST", body: "40" })), { status: 400, body: { code: 2, message: "Bad handshake method" } });
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?EIO=3&transport=polling`)), { status: 400, body: { code: 5, message: "Unsupported protocol version" } });
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?transport=polling`)), { status: 400, body: { code: 5, message: "Unsupported protocol version" } });
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?EIO=4&transport=websocket`)), { status: 400, body: { code: 3, message: "Bad request" } });
  const { sid } = await handshake();
  // a polling sid presented on the websocket transport without an Upgrade
  assert.deepEqual(await json(await fetch(`${s.url}/socket.io/?EIO=4&transport=websocket&sid=${sid}`)), { status: 400, body: { code: 3, message: "Bad request" } });
});

test("polling: batched POST is processed in order and the GET batches replies with \\x1e", async () => {
  const { sid } = await handshake();
  assert.equal(await (await post(sid, '40/sharpbench-echo,\x1e42/sharpbench-echo,["echo","a"]\x1e42/sharpbench-echo,["echo","b"]')).text(), "ok");
  let got = "";
  while (!got.includes('"b"')) got += (got ? "\x1e" : "") + (await (await poll(sid)).text());
  const packets = got.split("\x1e");
  assert.match(packets[0], /^40\/sharpbench-echo,\{"sid":"[A-Za-z0-9_-]{20}"\}$/);
  assert.deepEqual(packets.slice(1), ['42/sharpbench-echo,["echo","a"]', '42/sharpbench-echo,["echo","b"]']);
  await post(sid, "1");
  await assertGone(sid);
});

test("binary over polling travels as b<base64>", async () => {
  const { sid } = await handshake();
  await post(sid, "40/sharpbench-echo,");
  await poll(sid);
  await post(sid, '451-/sharpbench-echo,["echo",{"_placeholder":true,"num":0}]\x1ebaGk=');
  let got = "";
  while (!got.includes("baGk=")) got += (got ? "\x1e" : "") + (await (await poll(sid)).text());
  assert.deepEqual(got.split("\x1e"), ['451-/sharpbench-echo,["echo",{"_placeholder":true,"num":0}]', "baGk="]);
});

test("a second concurrent GET closes the session: the first gets 1, the second 400", async () => {
  const { sid } = await handshake();
  const first = poll(sid);
  await h.sleep(100);
  const second = await poll(sid);
  assert.deepEqual(await json(second), { status: 400, body: { code: 3, message: "Bad request" } });
  assert.equal(await (await first).text(), "1");
  await assertGone(sid);
  await assertServerFine();
});

test("an oversized POST is refused with 413 and ends that session only", async () => {
  const { sid } = await handshake();
  const r = await post(sid, "4" + "x".repeat(1_000_001));
  assert.equal(r.status, 413);
  await assertGone(sid);
  await assertServerFine();
});

test("an oversized WebSocket message closes that socket with 1009", async () => {
  const { ws } = await rawSocket();
  const closed = h.once(ws, "close");
  ws.send("4" + "x".repeat(1_000_001));
  const [code] = await closed;
  assert.equal(code, 1009);
  await assertServerFine();
});

/** A raw WebSocket session; resolves once the open packet arrived. */
async function rawSocket() {
  const ws = new WebSocket(`${s.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  const got = [];
  ws.on("message", (m) => got.push(m.toString()));
  await h.waitFor(() => got.length === 1);
  assert.match(got[0], /^0\{"sid":"[^"]+","upgrades":\[\],/);
  return { ws, got };
}

const malformed = {
  "an unknown Engine.IO packet type": "9hello",
  "an empty packet": "",
  "a client ping (EIO4 pings only server→client)": "2",
  "an unknown Socket.IO packet type": "47/sharpbench-echo,",
  "a Socket.IO event that is not JSON": '42/sharpbench-echo,["echo",',
  "an event whose payload is not an array": '42/sharpbench-echo,{"a":1}',
  "an event whose name is not a string": '42/sharpbench-echo,[{"a":1}]',
  "an event on a namespace never joined": '42/other,["x"]',
  "a CONNECT_ERROR sent by a client": '44/sharpbench-echo,{"message":"x"}',
  "a binary attachment with no binary packet": "baGk=",
  "text where an attachment was due": '451-/sharpbench-echo,["echo",{"_placeholder":true,"num":0}]\x1e42/sharpbench-echo,["echo"]',
  "an absurd attachment count": '4599999-/sharpbench-echo,["echo"]',
  "bad base64": "b!!!",
};
for (const [what, body] of Object.entries(malformed)) {
  test(`${what} closes the session and nothing else`, async () => {
    const { sid } = await handshake();
    await post(sid, "40/sharpbench-echo,");
    await poll(sid);
    const r = await post(sid, body);
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { code: 3, message: "Bad request" });
    await assertGone(sid);
    await assertServerFine();
  });
}

test("malformed frames over WebSocket close that socket only", async () => {
  for (const frame of ["9", '42/sharpbench-echo,["echo",', "2", Buffer.from([1, 2, 3])]) {
    const { ws, got } = await rawSocket();
    ws.send("40/sharpbench-echo,");
    await h.waitFor(() => got.length === 2);
    const closed = h.once(ws, "close");
    ws.send(frame);
    await closed;
  }
  await assertServerFine();
});

function serverStats() {
  const pid = s.proc.pid;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
  return { rssKiB: rss, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

async function cycles(n, transports, nsp = "sharpbench-echo", opts = {}) {
  const batch = 50;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, n - i) }, async () => {
      const c = io(`${s.url}/${nsp}`, { transports, forceNew: true, reconnection: false, ...opts });
      await h.connected(c);
      c.close();
    }));
  }
}

test("10,000 connect/disconnect cycles leak neither handles nor memory", { timeout: 600000 }, async () => {
  await cycles(1000, ["websocket"]);           // warm up: JIT, pools, GC heap size
  await h.sleep(1000);
  const before = serverStats();
  await cycles(9000, ["websocket"]);
  await cycles(1000, ["polling"]);
  await h.sleep(2000);                         // let closes finish
  const after = serverStats();
  console.log(`10,000 websocket + 1,000 polling cycles: fds ${before.fds} -> ${after.fds}, RSS ${before.rssKiB} -> ${after.rssKiB} KiB`);
  assert.ok(after.fds - before.fds < 20, `file descriptors grew from ${before.fds} to ${after.fds}`);
  assert.ok(after.rssKiB - before.rssKiB < 64 * 1024, `RSS grew from ${before.rssKiB} to ${after.rssKiB} KiB`);
  await assertServerFine();
});
