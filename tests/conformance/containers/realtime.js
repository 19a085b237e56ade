// Realtime through the frontend container, as a browser on the desk does it: socket.io-client
// connects to /socket.io on the frontend's published port with the session cookie only (nginx
// adds the site header and Origin), subscribes to a ToDo, and a REST save of that ToDo through
// the same frontend must arrive as doc_update.
// Usage: node realtime.js BASE_URL SITE SID TODO_NAME   (BASE_URL e.g. http://127.0.0.1:18080)
"use strict";
const { io } = require("socket.io-client");

const [base, site, sid, todo] = process.argv.slice(2);
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail("no doc_update within 20 s"), 20000).unref();

async function main() {
  const client = io(`${base}/${site}`, { forceNew: true, reconnection: false, timeout: 10000, extraHeaders: { Cookie: `sid=${sid}` } });
  await new Promise((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", (e) => reject(new Error(`connect_error: ${e.message}`)));
  });
  // Upgraded from polling to a WebSocket through nginx, as a browser would be.
  for (let i = 0; i < 50 && client.io.engine.transport.name !== "websocket"; i++) await new Promise((r) => setTimeout(r, 100));
  if (client.io.engine.transport.name !== "websocket") fail(`still on ${client.io.engine.transport.name} after 5 s: the upgrade did not pass nginx`);
  const update = new Promise((resolve) => client.on("doc_update", (m) => { if (m.name === todo) resolve(m); }));
  await client.timeout(5000).emitWithAck("doc_subscribe", "ToDo", todo);
  const saved = await fetch(`${base}/api/resource/ToDo/${encodeURIComponent(todo)}`, {
    method: "PUT", headers: { Cookie: `sid=${sid}`, "Content-Type": "application/json" }, body: JSON.stringify({ priority: "High" }),
  });
  if (saved.status !== 200) fail(`PUT ToDo: ${saved.status} ${await saved.text()}`);
  const modified = (await saved.json()).data.modified;
  const got = await update;
  if (got.doctype !== "ToDo" || got.modified !== modified) fail(`unexpected doc_update ${JSON.stringify(got)} (saved modified ${modified})`);
  console.log(`doc_update for ToDo ${todo} arrived over ${client.io.engine.transport.name}`);
  client.close();
}
main().catch((e) => fail(e.stack || String(e)));
