// Frappe's realtime contract (realtime/ in frappe/frappe: utils.js, middlewares/authenticate.js, handlers/frappe_handlers.js): site namespaces, the auth checks,
// rooms, client events, and delivery of events published on Redis `events` by another process.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const h = require("../lib/harness");

let s;
before(async () => { s = await h.start(); });
after(h.stop);

const refusal = async (opts) => {
  const c = h.connect(opts);
  const err = await h.connected(c).then(() => null, (e) => e);
  c.close();
  return err && err.message;
};

for (const transports of [["polling", "websocket"], ["websocket"]]) {
  test(`cookie login over ${transports.join("+")} joins user:, website and all; events reach the right rooms`, async () => {
    const alice = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports }));
    const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001", transports }));
    const aliceGot = h.collect(alice, "msgprint");
    const carolGot = h.collect(carol, "msgprint");
    const globals = h.collect(carol, "global_event");
    const aliceGlobals = h.collect(alice, "global_event");
    await h.publish("msgprint", { message: "Hello", title: "Message" }, "user:alice@example.com");
    await h.publish("global_event", { x: 1 }, "all");
    await h.publish("msgprint", { message: "to nobody here" }, "user:alice@example.com", s.other);
    await h.publish("msgprint", { message: "site wide" }, "website");
    await h.waitFor(() => aliceGot.length >= 2 && carolGot.length >= 1 && aliceGlobals.length >= 1);
    await h.sleep(150);
    assert.deepEqual(aliceGot, [{ message: "Hello", title: "Message" }, { message: "site wide" }]);
    assert.deepEqual(carolGot, [{ message: "site wide" }]);
    assert.deepEqual(aliceGlobals, [{ x: 1 }]);
    assert.deepEqual(globals, [], "a Website User is not in room all");
    alice.close(); carol.close();
  });
}

test("ping is answered with pong", async () => {
  const c = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports: ["websocket"] }));
  const pong = h.once(c, "pong");
  c.emit("ping");
  await pong;
  c.close();
});

test("token login connects (Cookie still required) and never joins all", async () => {
  const c = await h.connected(h.connect({ cookie: "x=1", authorization: "token alicekey:alicesecret" }));
  const mine = h.collect(c, "msgprint");
  const all = h.collect(c, "global_event");
  await h.publish("global_event", { y: 1 }, "all");
  await h.publish("msgprint", { message: "token" }, "user:alice@example.com");
  await h.waitFor(() => mine.length === 1);
  await h.sleep(100);
  assert.deepEqual(all, []);
  c.close();
  const basic = "Basic " + Buffer.from("alicekey:alicesecret").toString("base64");
  (await h.connected(h.connect({ cookie: "x=1", authorization: basic }))).close();
});

test("the auth checks refuse in Frappe's order with Frappe's messages", async () => {
  assert.equal(await refusal({ sid: "alicesid0000000000000001", origin: null }), "Invalid origin");
  assert.equal(await refusal({ sid: "alicesid0000000000000001", origin: "http://evil.example:1" }), "Invalid origin");
  assert.equal(await refusal({ transports: ["websocket"] }), "No cookie transmitted.");
  assert.equal(await refusal({ authorization: "token alicekey:alicesecret", transports: ["websocket"] }), "No cookie transmitted.");
  assert.equal(await refusal({ cookie: "x=1" }), "No authentication method used. Use cookie or authorization header.");
  assert.equal(await refusal({ cookie: "x=1", authorization: "token alicekey:wrong" }), "Unauthorized: Invalid API key or secret");
  assert.equal(await refusal({ cookie: "x=1", authorization: "token nokey:x" }), "Unauthorized: Invalid API key or secret");
  assert.equal(await refusal({ cookie: "x=1", authorization: "Bearer abc" }), "Unauthorized: Unsupported authorization scheme");
});

test("an unknown or expired sid connects as Guest (user:Guest and website only)", async () => {
  for (const sid of ["no-such-sid", "aliceold0000000000000001", "Guest"]) {
    const c = await h.connected(h.connect({ sid }));
    const got = h.collect(c, "msgprint");
    await h.send(c, "ping");
    await h.publish("msgprint", { message: "alice only" }, "user:alice@example.com");
    await h.publish("msgprint", { message: "guest" }, "user:Guest");
    await h.waitFor(() => got.length >= 1);
    await h.sleep(100);
    assert.deepEqual(got, [{ message: "guest" }], sid);
    c.close();
  }
});

test("a namespace of another site is refused once, cleanly", async () => {
  // Site header says site A, namespace is site B: one CONNECT_ERROR and no late CONNECT.
  const c = h.connect({ sid: "alicesid0000000000000001", nsp: s.other, transports: ["websocket"] });
  const errors = h.collect(c, "connect_error");
  let connects = 0;
  c.on("connect", () => connects++);
  await h.waitFor(() => errors.length === 1);
  await h.sleep(300);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, "Invalid namespace");
  assert.equal(connects, 0);
  assert.equal(await refusal({ sid: "alicesid0000000000000001", nsp: "no-such-site.local", siteHeader: "no-such-site.local" }), "Invalid namespace");
  c.close();
});

test("a forged X-Frappe-Site-Name for a site whose cookie the client lacks gives only Guest", async () => {
  // alice's sid belongs to site A's session table; presented to site B it matches nothing there.
  const seedless = h.connect({ sid: "alicesid0000000000000001", site: s.other });
  await h.connected(seedless);
  const got = h.collect(seedless, "msgprint");
  await h.send(seedless, "doctype_subscribe", "Role");
  await h.publish("msgprint", { message: "alice on B" }, "user:alice@example.com", s.other);
  await h.publish("list_update", { doctype: "Role", name: "x" }, "doctype:Role", s.other);
  const lists = h.collect(seedless, "list_update");
  await h.sleep(300);
  assert.deepEqual(got, []);
  assert.deepEqual(lists, []);
  seedless.close();
});

test("doctype and doc subscriptions deliver list_update and doc_update; refused ones stay silent", async () => {
  const alice = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports: ["websocket"] }));
  const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001" }));
  await h.send(alice, "doctype_subscribe", "Role");
  await h.send(alice, "doc_subscribe", "Role", "System Manager");
  await h.send(carol, "doctype_subscribe", "Role");          // Website User: cannot read Role
  await h.send(carol, "doc_subscribe", "Role", "System Manager");
  await h.send(alice, "doc_subscribe", "Role", "No Such Role"); // no such document
  const aList = h.collect(alice, "list_update"), aDoc = h.collect(alice, "doc_update");
  const cList = h.collect(carol, "list_update"), cDoc = h.collect(carol, "doc_update");
  await h.publish("list_update", { doctype: "Role", name: "System Manager", user: "bob@example.com" }, "doctype:Role");
  await h.publish("doc_update", { doctype: "Role", name: "System Manager", modified: "2024-10-01 10:00:00" }, "doc:Role/System Manager");
  await h.publish("doc_update", { doctype: "Role", name: "No Such Role", modified: "x" }, "doc:Role/No Such Role");
  await h.waitFor(() => aList.length === 1 && aDoc.length === 1);
  await h.sleep(300);
  assert.deepEqual(aList, [{ doctype: "Role", name: "System Manager", user: "bob@example.com" }]);
  assert.deepEqual(aDoc, [{ doctype: "Role", name: "System Manager", modified: "2024-10-01 10:00:00" }]);
  assert.deepEqual(cList, [], "refused doctype subscription must not deliver");
  assert.deepEqual(cDoc, [], "refused doc subscription must not deliver");
  await h.send(alice, "doctype_unsubscribe", "Role");
  await h.publish("list_update", { doctype: "Role", name: "again" }, "doctype:Role");
  await h.sleep(300);
  assert.equal(aList.length, 1, "unsubscribed");
  alice.close(); carol.close();
});

test("a Website User's doctype_subscribe(User) hears nothing when a user is created (issue 20, finding 7)", async () => {
  const alice = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports: ["websocket"] }));
  const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001", transports: ["websocket"] }));
  await h.send(alice, "doctype_subscribe", "User");
  await h.send(carol, "doctype_subscribe", "User");
  const aList = h.collect(alice, "list_update"), cList = h.collect(carol, "list_update");
  // A real save in another process (the bench CLI), announced through Redis as a web worker would.
  const dave = `dave-${Date.now()}@example.com`;
  h.bench(s.root, ["--site", s.site, "add-user", dave, "--first-name", "Dave"]);
  await h.waitFor(() => aList.some((m) => m.name === dave), 10000);
  await h.sleep(300);
  assert.deepEqual(cList, [], "User is for System Managers: a Website User joins no room for it");
  alice.close(); carol.close();
});

test("doc_open / doc_close tell the open_doc room who is viewing", async () => {
  const alice = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports: ["websocket"] }));
  const bob = await h.connected(h.connect({ sid: "bobsid00000000000000001" }));
  const seen = h.collect(alice, "doc_viewers");
  await h.send(alice, "doc_open", "User", "bob@example.com");
  await h.sleep(100);
  assert.deepEqual(seen, [], "not sent when the only viewer is the one who opened it");
  await h.send(bob, "doc_open", "User", "bob@example.com");
  await h.waitFor(() => seen.length === 1);
  assert.deepEqual(seen[0], { doctype: "User", docname: "bob@example.com", users: ["alice@example.com", "bob@example.com"] });
  await h.send(bob, "doc_close", "User", "bob@example.com");
  await h.waitFor(() => seen.length === 2);
  assert.deepEqual(seen[1].users, ["alice@example.com"]);
  await h.send(bob, "doc_open", "User", "bob@example.com");
  await h.waitFor(() => seen.length === 3);
  bob.close();  // a disconnect re-sends viewers for every doc it had open
  await h.waitFor(() => seen.length === 4);
  assert.deepEqual(seen[3].users, ["alice@example.com"]);
  alice.close();
});

test("task_subscribe / progress_subscribe join task_progress:<id> without a permission check", async () => {
  const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001" }));
  const got = h.collect(carol, "progress");
  await h.send(carol, "task_subscribe", "task-123");
  await h.publish("progress", { percent: 50, title: "Working", description: null, task_id: "task-123" }, "task_progress:task-123");
  await h.waitFor(() => got.length === 1);
  assert.deepEqual(got[0], { percent: 50, title: "Working", description: null, task_id: "task-123" });
  await h.send(carol, "task_unsubscribe", "task-123");
  await h.publish("progress", { percent: 60 }, "task_progress:task-123");
  await h.sleep(200);
  assert.equal(got.length, 1);
  carol.close();
});

test("a burst published back to back arrives whole and in publish order, per room, large events included", async () => {
  const alice = await h.connected(h.connect({ sid: "alicesid0000000000000001", transports: ["websocket"] }));
  const carol = await h.connected(h.connect({ sid: "carolsid0000000000000001", transports: ["websocket"] }));
  const aliceGot = h.collect(alice, "seq"), carolGot = h.collect(carol, "seq");
  // Odd events go to room all (alice only), even ones to website (both); every 100th is ~70 KB, so
  // one client's batch mixes the three WebSocket length encodings.
  const n = 1000, big = "x".repeat(70_000);
  const body = (i) => (i % 100 === 0 ? { i, big } : { i });
  const msg = (i) => JSON.stringify({ event: "seq", message: body(i), room: i % 2 ? "all" : "website", namespace: s.site });
  await Promise.all(Array.from({ length: n }, (_, i) => s.pub.publish("events", msg(i))));
  await h.waitFor(() => aliceGot.length >= n && carolGot.length >= n / 2, 15000);
  assert.deepEqual(aliceGot.map((m) => m.i), Array.from({ length: n }, (_, i) => i));
  assert.deepEqual(carolGot.map((m) => m.i), Array.from({ length: n / 2 }, (_, i) => 2 * i));
  assert.ok(aliceGot.filter((m) => m.i % 100 === 0).every((m) => m.big === big));
  alice.close(); carol.close();
});

test("an event with no room reaches every socket of every site (build_event)", async () => {
  const a = await h.connected(h.connect({ sid: "alicesid0000000000000001" }));
  const b = await h.connected(h.connect({ sid: "x", site: s.other }));
  const ga = h.collect(a, "build_event"), gb = h.collect(b, "build_event");
  await s.pub.publish("events", JSON.stringify({ event: "build_event", message: { success: true } }));
  await h.waitFor(() => ga.length === 1 && gb.length === 1);
  a.close(); b.close();
});
