// Generic Socket.IO v5 / Engine.IO v4 behaviour with the official client, on the echo
// namespace (acks and binary: Frappe's own events use neither).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const h = require("../lib/harness");

let s;
before(async () => { s = await h.start(); });
after(h.stop);

const echo = (transports, opts = {}) => {
  const c = io(`${s.url}/sharpbench-echo`, { transports, forceNew: true, reconnection: false, timeout: 5000, ...opts });
  s.clients.push(c);
  return c;
};

// Every argument of the ack (emitWithAck keeps only the first).
const ackAll = (c, ...args) => new Promise((resolve, reject) =>
  c.timeout(5000).emit(...args, (err, ...res) => (err ? reject(err) : resolve(res))));

for (const transports of [["polling", "websocket"], ["websocket"], ["polling"]]) {
  test(`connects, acks and round-trips binary over ${transports.join("+")}`, async () => {
    const c = echo(transports, { upgrade: transports.length > 1 });
    await h.connected(c);
    assert.match(c.id, /^[A-Za-z0-9_-]{20}$/);
    if (transports.length > 1) await h.waitFor(() => c.io.engine.transport.name === "websocket");
    assert.equal(c.io.engine.transport.name, transports.at(-1));
    const [a, b] = await ackAll(c, "echo", "world", { n: 1 });
    assert.deepEqual([a, b], ["world", { n: 1 }]);
    const bin = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    const [back, meta] = await ackAll(c, "echo", { file: bin }, [1, 2]);
    assert.ok(Buffer.from(back.file).equals(bin));
    assert.deepEqual(meta, [1, 2]);
    const pushed = h.once(c, "echo");
    c.emit("echo", bin, "x");
    const [p0, p1] = await pushed;
    assert.ok(Buffer.from(p0).equals(bin));
    assert.equal(p1, "x");
    c.close();
  });
}

test("WebSocket messages far larger than one read arrive whole, text and binary (up to maxPayload)", async () => {
  const c = echo(["websocket"]);
  await h.connected(c);
  const text = "é".repeat(150_000) + "end";        // ~300 KB of UTF-8, multi-byte chars split across reads
  const bin = Buffer.alloc(500_000, 7); bin[499_999] = 9;
  const [t] = await ackAll(c, "echo", text);
  assert.equal(t, text);
  const [b] = await ackAll(c, "echo", bin);
  assert.ok(Buffer.from(b).equals(bin));
  c.close();
});

test("server-side emit with ack gets the client's answer", async () => {
  const c = echo(["websocket"]);
  c.on("server_ask", (q, ack) => ack({ got: q }));
  await h.connected(c);
  const answered = h.once(c, "answered");
  c.emit("ask_me", "q?");
  assert.deepEqual(await answered, { got: "q?" });
  c.close();
});

test("server-side disconnect sends 41 and the client reports 'io server disconnect'", async () => {
  const c = echo(["websocket"]);
  await h.connected(c);
  const reason = h.once(c, "disconnect");
  c.emit("disconnect_me");
  assert.equal((await reason)[0], "io server disconnect");
});

test("middleware refusal carries message and data", async () => {
  const c = echo(["polling"], { auth: { token: "bad" } });
  await assert.rejects(h.connected(c), (e) => e.message === "Unauthorized" && e.data.why === "bad token");
});

test("the main namespace accepts anyone and serves nothing, as in Frappe", async () => {
  const main = io(`${s.url}/`, { transports: ["websocket"], forceNew: true, reconnection: false });
  s.clients.push(main);
  await h.connected(main);
  main.close();
});

test("the heartbeat keeps an idle connection open past the client's ping timeout", { skip: !process.env.RT_SLOW && "set RT_SLOW=1 (takes 50 s)" }, async () => {
  const c = echo(["websocket"]);
  await h.connected(c);
  let pings = 0;
  c.io.engine.on("ping", () => pings++);
  await h.sleep(50000);
  assert.ok(c.connected && pings >= 1);
  c.close();
});
