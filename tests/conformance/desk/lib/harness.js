// A throwaway bench running `bench start` with a freshly built desk, and chromium contexts
// logged in through the login page, for the desk's end-to-end tests.
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const repo = path.resolve(__dirname, "../../../..");
const benchExe = path.join(repo, "bench");
const chromiumPath = process.env.SB_CHROMIUM || "/usr/bin/chromium";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

class DeskBench {
  static async start() {
    const b = new DeskBench();
    b.dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-desk-"));
    b.shots = path.join(b.dir, "screenshots");
    fs.mkdirSync(b.shots);
    const run = (args) => execFileSync(benchExe, args, { cwd: b.dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FRAPPE_SITE: "" } });
    run(["new-site", "desk.localhost", "--admin-password", "admin", "--set-default"]);
    run(["build"]);
    b.port = await freePort();
    b.base = `http://localhost:${b.port}`;
    b.log = fs.openSync(path.join(b.dir, "start.log"), "a");
    b.proc = spawn(benchExe, ["start", "--port", String(b.port)], { cwd: b.dir, stdio: ["ignore", b.log, b.log] });
    await waitFor(`${b.base}/api/method/ping`, 60000);
    b.browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    return b;
  }

  /** A browser context (its own cookies, like a second browser) logged in through /login. */
  async login(user = "Administrator", pwd = "admin") {
    const context = await this.browser.newContext({ baseURL: this.base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`# page error: ${e.message}`));
    await page.goto("/login?redirect-to=%2Fapp");
    await page.fill("#usr", user);
    await page.fill("#pwd", pwd);
    await Promise.all([page.waitForURL("**/app"), page.click("button[type=submit]")]);
    await page.waitForSelector(".modules");
    return { context, page };
  }

  async shot(page, name) {
    await page.screenshot({ path: path.join(this.shots, `${name}.png`), fullPage: true });
  }

  /** Calls the REST API with a context's cookies (set-up and checks, not what is under test). */
  async api(page, method, url, body) {
    return page.evaluate(
      async ([method, url, body]) => {
        const csrf = JSON.parse(document.getElementById("desk-boot").textContent).csrf_token;
        const r = await fetch(url, { method, headers: { "Content-Type": "application/json", "X-Frappe-CSRF-Token": csrf }, body: body ? JSON.stringify(body) : undefined });
        return { status: r.status, body: await r.json().catch(() => null) };
      },
      [method, url, body],
    );
  }

  async stop() {
    await this.browser?.close().catch(() => {});
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(() => {
          this.proc.kill("SIGKILL");
          r();
        }, 10000);
        this.proc.on("exit", () => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

module.exports = { DeskBench };
