// Seeds ROWS ToDos through the API, then times /app/todo?page_length=ROWS in fresh chromium
// contexts: navigation start -> every row rendered and the main thread idle (two animation
// frames and a task later). Prints each round and the median.
const { chromium } = require("playwright-core");
const base = process.env.SB_BASE;
const rows = Number(process.env.SB_ROWS || 1000);
const rounds = Number(process.env.SB_ROUNDS || 5);

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.SB_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
  const login = async (ctx) => {
    const page = await ctx.newPage();
    await page.goto(`${base}/login`);
    await page.fill("#usr", "Administrator");
    await page.fill("#pwd", "admin");
    await Promise.all([page.waitForURL("**/app"), page.click("button[type=submit]")]);
    return page;
  };
  const seedCtx = await browser.newContext();
  const seed = await login(seedCtx);
  const made = await seed.evaluate(async (n) => {
    const csrf = JSON.parse(document.getElementById("desk-boot").textContent).csrf_token;
    for (let i = 0; i < n; i += 200) {
      const docs = Array.from({ length: Math.min(200, n - i) }, (_, k) => ({ doctype: "ToDo", description: `Benchmark row ${i + k}`, priority: ["Low", "Medium", "High"][(i + k) % 3] }));
      const r = await fetch("/api/method/frappe.client.insert_many", { method: "POST", headers: { "Content-Type": "application/json", "X-Frappe-CSRF-Token": csrf }, body: JSON.stringify({ docs }) });
      if (!r.ok) throw new Error(`insert_many: ${r.status} ${await r.text()}`);
    }
    const c = await fetch("/api/method/frappe.client.get_count?doctype=ToDo");
    return (await c.json()).message;
  }, rows);
  console.log(`seeded: ${made} ToDo`);
  await seedCtx.close();

  const times = [];
  const busy = [];
  for (let i = 0; i < rounds; i++) {
    const ctx = await browser.newContext();
    const page = await login(ctx);
    // A new context per round: no HTTP cache, so the desk's files load cold every time.
    await ctx.clearCookies().catch(() => {});
    const page2 = await login(ctx);
    await page.close();
    const cdp = await ctx.newCDPSession(page2);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
    await page2.goto(`${base}/app/todo?page_length=${rows}`, { waitUntil: "commit" });
    await page2.waitForFunction((n) => document.querySelectorAll(".list .list-row[data-name]").length >= n, rows, { timeout: 30000, polling: "raf" });
    const r = await page2.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve({
      now: performance.now(),
      page: performance.getEntriesByType("navigation")[0].responseEnd,
      res: performance.getEntriesByType("resource").map((e) => `${decodeURIComponent(e.name.replace(location.origin, "")).split("?")[0].replace(/^.*\//, "")} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`),
    }), 0)))));
    const ms = r.now;
    // Main-thread CPU time (thread ticks): what the page cost, whatever else the machine ran.
    const m = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((x) => [x.name, x.value]));
    const cpu = `main thread busy ${Math.round(m.TaskDuration * 1000)} ms (script ${Math.round(m.ScriptDuration * 1000)}, layout ${Math.round(m.LayoutDuration * 1000)}, style ${Math.round(m.RecalcStyleDuration * 1000)})`;
    busy.push(m.TaskDuration * 1000);
    const count = await page2.locator(".count").innerText();
    times.push(ms);
    console.log(`round ${i + 1}: ${ms.toFixed(0)} ms to ${rows} rows interactive (${count}); ${cpu}; page ${Math.round(r.page)} ms; ${r.res.filter((x) => !x.startsWith("socket")).join(", ")}`);
    await ctx.close();
  }
  times.sort((a, b) => a - b);
  busy.sort((a, b) => a - b);
  console.log(`main-thread CPU for the page: median ${busy[Math.floor(busy.length / 2)].toFixed(0)} ms`);
  console.log(`list of ${rows} interactive: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, best ${times[0].toFixed(0)} ms (budget 1000 ms)`);
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
