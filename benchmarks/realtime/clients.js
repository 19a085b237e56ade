// Copy of ../shared/peers/node/clients.js for SharpBench, changed only where Frappe's auth
// requires it: each client sends the headers nginx would (site, Origin, a System User's sid
// cookie, from RT_SID), so it joins room "all" on connect; and it confirms with an acked
// "ping" (SharpBench acks Frappe's client events) instead of the peer's custom "join".
//
// One process holding COUNT socket.io-client connections (websocket transport,
// forceNew so each is its own TCP connection) to namespace /NS, all in room "all".
// Driven by bench.js over IPC: records, per delivery, the latency from the
// publisher's CLOCK_MONOTONIC timestamp (process.hrtime is system-wide on Linux).
"use strict";
const { io } = require("socket.io-client");

const [url, ns, countStr, maxStr, maxMsgsStr] = process.argv.slice(2);
const count = Number(countStr);
const maxMsgs = Number(maxMsgsStr);
const first = new Float64Array(maxMsgs).fill(Infinity);  // per message: fastest client's latency (us)
const maxDeliveries = Number(maxStr);            // bound on stored samples
const lat = new Float64Array(maxDeliveries);     // microseconds
let n = 0, firstRecv = 0, lastRecv = 0, phase = "";
const sockets = [];

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function onMsg(payload) {
  if (payload.phase !== phase) return;
  const t = nowUs();
  if (n === 0) firstRecv = t;
  lastRecv = t;
  const l = t - payload.t;
  if (n < maxDeliveries) lat[n] = l;
  if (payload.seq < maxMsgs && l < first[payload.seq]) first[payload.seq] = l;
  n++;
}

function connectAll() {
  let connected = 0, failed = 0;
  return new Promise((resolve) => {
    for (let i = 0; i < count; i++) {
      const s = io(`${url}/${ns}`, { transports: ["websocket"], forceNew: true, reconnection: false, timeout: 10000,
        extraHeaders: { Cookie: `sid=${process.env.RT_SID}`, Origin: url, "X-Frappe-Site-Name": ns } });
      s.on("msg", onMsg);
      s.once("connect", () => {
        // make sure the server-side join has happened before we report ready
        s.emit("ping", () => { if (++connected + failed === count) resolve({ connected, failed }); });
      });
      s.once("connect_error", () => { if (connected + ++failed === count) resolve({ connected, failed }); });
      sockets.push(s);
    }
  });
}

process.on("message", async (m) => {
  if (m.cmd === "connect") {
    process.send({ cmd: "connected", ...(await connectAll()) });
  } else if (m.cmd === "phase") {
    phase = m.phase; n = 0; firstRecv = 0; lastRecv = 0; first.fill(Infinity);
    process.send({ cmd: "phase-ok" });
  } else if (m.cmd === "count") {
    process.send({ cmd: "count", n });
  } else if (m.cmd === "report") {
    process.send({ cmd: "report", n, firstRecv, lastRecv, lat: lat.slice(0, Math.min(n, maxDeliveries)), first });
  } else if (m.cmd === "close") {
    for (const s of sockets) s.close();
    setTimeout(() => process.exit(0), 200);
  }
});
process.on("disconnect", () => process.exit(0));   // parent gone
setTimeout(() => process.exit(2), Number(process.env.RT_CLIENT_MAX_S || 120) * 1000).unref(); // hard bound
