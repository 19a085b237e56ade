// The desk, end to end: chromium (playwright-core, Debian's binary) against `bench start` on a
// throwaway bench. One case per behaviour the issue names; cases share the bench and run in order.
const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { DeskBench } = require("../lib/harness");

const rand = () => Math.random().toString(36).slice(2, 8);
const T = 15000;

describe("desk", { timeout: 300000 }, () => {
  let bench, a, b;
  const state = {};

  before(async () => {
    bench = await DeskBench.start();
    a = await bench.login();
    a.page.on("dialog", (d) => d.accept());
    console.log(`# screenshots: ${bench.shots}`);
  });
  after(async () => {
    await bench?.stop();
  });

  it("logs in and creates a ToDo through the form (Link search, Ctrl+S)", async () => {
    const { page } = a;
    await bench.shot(page, "01-home");
    await page.goto("/app/todo");
    await page.getByRole("button", { name: "Add ToDo" }).click();
    await page.waitForURL("**/app/todo/new");
    state.todo = `Buy milk ${rand()}`;
    // Description is a Text Editor: rich text. Ctrl+B there makes the text bold (Quill's
    // shortcut) instead of opening a new document.
    await page.getByLabel("Description *").fill(state.todo);
    await page.getByLabel("Description *").press("Control+a");
    await page.getByLabel("Description *").press("Control+b");
    assert.match(page.url(), /\/app\/todo\/new$/, "Ctrl+B in the editor must not open a new document");
    await page.getByLabel("Priority").selectOption("High");
    // Link field: suggestions come from frappe.desk.search.search_link.
    await page.getByLabel("Allocated To").fill("admin");
    await page.getByRole("option", { name: /Administrator/ }).click();
    await bench.shot(page, "02-todo-new");
    await page.keyboard.press("Control+s");
    await page.waitForURL(/\/app\/todo\/(?!new)[^/]+$/, { timeout: T });
    state.todoName = decodeURIComponent(page.url().split("/").pop());
    await page.getByText("Last modified by").waitFor();
    const r = await bench.api(page, "GET", `/api/resource/ToDo/${encodeURIComponent(state.todoName)}`);
    assert.equal(r.status, 200);
    // Stored as Frappe's desk stores it: Quill's HTML in its read-mode wrapper.
    assert.equal(r.body.data.description, `<div class="ql-editor read-mode"><p><strong>${state.todo}</strong></p></div>`);
    assert.equal(r.body.data.priority, "High");
    assert.equal(r.body.data.allocated_to, "Administrator");
    await bench.shot(page, "03-todo-saved");
  });

  it("shows a new ToDo in a second browser's list without a reload", async () => {
    b = await bench.login();
    b.page.on("dialog", (d) => d.accept());
    await b.page.goto("/app/todo");
    await b.page.getByRole("link", { name: state.todo }).waitFor({ timeout: T });
    let navigations = 0;
    b.page.on("framenavigated", (f) => f === b.page.mainFrame() && navigations++);
    const text = `Call back ${rand()}`;
    await a.page.goto("/app/todo/new");
    await a.page.getByLabel("Description *").fill(text);
    await a.page.getByRole("button", { name: "Save" }).click();
    await a.page.waitForURL(/\/app\/todo\/(?!new)[^/]+$/, { timeout: T });
    await b.page.getByRole("link", { name: text }).waitFor({ timeout: 5000 });
    assert.equal(navigations, 0, "the second browser's list reloaded the page");
    assert.match(await b.page.locator(".count").innerText(), /^2 of 2$/);
    await bench.shot(b.page, "04-todo-list-live");
  });

  it("shows the conflict banner when another browser saves the open document", async () => {
    const url = `/app/todo/${encodeURIComponent(state.todoName)}`;
    await a.page.goto(url);
    await b.page.goto(url);
    await a.page.getByLabel("Description *").waitFor();
    await b.page.getByLabel("Description *").waitFor();
    await a.page.getByLabel("Description *").fill(`${state.todo} (edited in A)`);
    await a.page.keyboard.press("Control+s");
    await a.page.getByText("Saved", { exact: true }).waitFor({ timeout: T });
    const banner = b.page.getByRole("alert").filter({ hasText: "changed by someone else" });
    await banner.waitFor({ timeout: 5000 });
    assert.equal(await a.page.getByText("changed by someone else").count(), 0, "the saving browser must not see its own save as a conflict");
    await bench.shot(b.page, "05-conflict-banner");
    // Saving the stale copy is refused by the server, and the message says why.
    await b.page.getByLabel("Description *").fill(`${state.todo} (edited in B)`);
    await b.page.keyboard.press("Control+s");
    await b.page.getByRole("dialog").getByText(/modified after you have opened it/).waitFor({ timeout: T });
    await bench.shot(b.page, "06-conflict-save-refused");
    await b.page.getByRole("button", { name: "Close" }).click();
    const r = await bench.api(a.page, "GET", `/api/resource/ToDo/${encodeURIComponent(state.todoName)}`);
    // The edit replaced the text and kept its bold format, as typing over a selection does.
    assert.equal(r.body.data.description, `<div class="ql-editor read-mode"><p><strong>${state.todo} (edited in A)</strong></p></div>`);
  });

  it("builds a custom DocType with a child table in the DocType builder and uses it", async () => {
    const { page } = a;
    state.child = `Desk Order Item ${rand()}`;
    state.parent = `Desk Order ${rand()}`;
    await page.goto("/app/doctype/new");
    await page.getByLabel("Name *").fill(state.child);
    await page.getByLabel("Is Child Table").check();
    await page.getByLabel("Field 1 label").fill("Item");
    await page.getByLabel("Field 1 mandatory").check();
    await page.getByLabel("Field 1 in list view").check();
    await page.getByRole("button", { name: "Add field" }).click();
    await page.getByLabel("Field 2 label").fill("Qty");
    await page.getByLabel("Field 2 type").selectOption("Int");
    await page.getByLabel("Field 2 in list view").check();
    await bench.shot(page, "07-builder-child");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(`**/app/doctype/${encodeURIComponent(state.child)}`, { timeout: T });

    await page.goto("/app/doctype/new");
    await page.getByLabel("Name *").fill(state.parent);
    await page.getByLabel("Is Submittable").check();
    await page.getByLabel("Field 1 label").fill("Title");
    await page.getByLabel("Field 1 mandatory").check();
    await page.getByLabel("Field 1 in list view").check();
    await page.getByLabel("Field 1 in standard filter").check();
    await page.getByRole("button", { name: "Add field" }).click();
    await page.getByLabel("Field 2 label").fill("Attachment");
    await page.getByLabel("Field 2 type").selectOption("Attach");
    await page.getByRole("button", { name: "Add field" }).click();
    await page.getByLabel("Field 3 label").fill("Items");
    await page.getByLabel("Field 3 type").selectOption("Table");
    await page.getByLabel("Field 3 options").fill(state.child);
    await page.getByLabel("Permission rule 1 submit").check();
    await page.getByLabel("Permission rule 1 cancel").check();
    await bench.shot(page, "08-builder-parent");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(`**/app/doctype/${encodeURIComponent(state.parent)}`, { timeout: T });

    state.slug = state.parent.toLowerCase().replace(/ /g, "-");
    await page.goto(`/app/${state.slug}/new`);
    await page.getByLabel("Title *").fill("First order");
    await page.getByRole("button", { name: "Add row" }).click();
    await page.getByRole("button", { name: "Add row" }).click();
    await page.getByLabel("Item *").nth(0).fill("Apples");
    await page.getByLabel("Qty").nth(0).fill("3");
    await page.getByLabel("Qty").nth(0).blur();
    await page.getByLabel("Item *").nth(1).fill("Pears");
    await page.keyboard.press("Control+s");
    await page.waitForURL(new RegExp(`/app/${state.slug}/(?!new)[^/]+$`), { timeout: T });
    state.orderName = decodeURIComponent(page.url().split("/").pop());
    const r = await bench.api(page, "GET", `/api/resource/${encodeURIComponent(state.parent)}/${encodeURIComponent(state.orderName)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.data.title, "First order");
    assert.deepEqual(r.body.data.items.map((i) => [i.item, i.qty]), [["Apples", 3], ["Pears", 0]]);
    await bench.shot(page, "09-custom-doc");
    await page.goto(`/app/${state.slug}`);
    await page.getByRole("link", { name: state.orderName }).waitFor({ timeout: T });
    await bench.shot(page, "10-custom-list");
  });

  it("attaches a file through upload_file", async () => {
    const { page } = a;
    await page.goto(`/app/${state.slug}/${encodeURIComponent(state.orderName)}`);
    await page.getByLabel("Attachment").setInputFiles({ name: "order-note.txt", mimeType: "text/plain", buffer: Buffer.from("deliver before noon\n") });
    await page.getByRole("link", { name: "order-note.txt" }).waitFor({ timeout: T });
    await page.keyboard.press("Control+s");
    await page.getByText("Saved", { exact: true }).waitFor({ timeout: T });
    const r = await bench.api(page, "GET", `/api/resource/${encodeURIComponent(state.parent)}/${encodeURIComponent(state.orderName)}`);
    assert.match(r.body.data.attachment, /^\/files\/order-note/);
    const file = await page.evaluate(async (u) => (await fetch(u)).text(), r.body.data.attachment);
    assert.equal(file, "deliver before noon\n");
    const files = await bench.api(page, "GET", `/api/resource/File?fields=${encodeURIComponent('["attached_to_doctype","attached_to_name"]')}&filters=${encodeURIComponent(JSON.stringify([["file_url", "=", r.body.data.attachment]]))}`);
    assert.deepEqual(files.body.data, [{ attached_to_doctype: state.parent, attached_to_name: state.orderName }]);
    await bench.shot(page, "11-attached");
  });

  it("submits and cancels a submittable document, then amends it", async () => {
    const { page } = a;
    await page.goto(`/app/${state.slug}/${encodeURIComponent(state.orderName)}`);
    await page.getByRole("button", { name: "Submit" }).click();
    await page.locator(".indicator", { hasText: "Submitted" }).waitFor({ timeout: T });
    const url = `/api/resource/${encodeURIComponent(state.parent)}/${encodeURIComponent(state.orderName)}`;
    assert.equal((await bench.api(page, "GET", url)).body.data.docstatus, 1);
    assert.equal(await page.getByLabel("Title *").isDisabled(), true, "a submitted document's fields are read-only");
    await bench.shot(page, "12-submitted");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator(".indicator", { hasText: "Cancelled" }).waitFor({ timeout: T });
    assert.equal((await bench.api(page, "GET", url)).body.data.docstatus, 2);
    await bench.shot(page, "13-cancelled");
    await page.getByRole("button", { name: "Amend" }).click();
    await page.waitForURL(`**/app/${state.slug}/new`);
    assert.equal(await page.getByLabel("Title *").inputValue(), "First order");
    await bench.shot(page, "14-amend");
  });

  it("shows a missing mandatory field as an error next to the field", async () => {
    const { page } = a;
    const before = (await bench.api(page, "GET", "/api/method/frappe.client.get_count?doctype=ToDo")).body.message;
    await page.goto("/app/todo/new");
    await page.getByLabel("Priority").selectOption("Low");
    await page.getByRole("button", { name: "Save" }).click();
    const error = page.locator('[data-fieldname="description"] .field-error');
    await error.waitFor({ timeout: T });
    assert.equal(await error.innerText(), "Description is required");
    assert.equal(await page.getByLabel("Description *").getAttribute("aria-invalid"), "true");
    assert.match(page.url(), /\/app\/todo\/new$/);
    const after = (await bench.api(page, "GET", "/api/method/frappe.client.get_count?doctype=ToDo")).body.message;
    assert.equal(after, before);
    await bench.shot(page, "15-mandatory");
  });

  it("shows stored HTML in the Text Editor and the list without running any of it", async () => {
    const { page } = a;
    const hostile = `<p>Plain <em>words</em></p><img src="x" onerror="window.__xss = 1"><script>window.__xss = 2</script><a href="javascript:window.__xss=3">link</a>`;
    const r = await bench.api(page, "POST", "/api/resource/ToDo", { description: hostile });
    assert.equal(r.status, 200);
    const name = r.body.data.name;
    await page.goto("/app/todo");
    await page.getByRole("link", { name: /Plain words/ }).waitFor({ timeout: T });
    await page.goto(`/app/todo/${encodeURIComponent(name)}`);
    const editor = page.getByLabel("Description *");
    await editor.getByText("words").waitFor({ timeout: T });
    assert.equal(await editor.locator("em").innerText(), "words");
    assert.equal(await editor.locator("script, img[onerror], [onerror]").count(), 0);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await bench.shot(page, "16a-text-editor");
    await bench.api(page, "DELETE", `/api/resource/ToDo/${encodeURIComponent(name)}`);
  });

  it("deletes selected rows from the list (bulk delete) and pages the count", async () => {
    const { page } = a;
    await page.goto("/app/todo");
    await page.getByRole("link", { name: /Call back/ }).waitFor({ timeout: T });
    await page.getByLabel("Select all").check();
    await page.getByRole("button", { name: /^Delete \(2\)$/ }).click();
    await page.getByText("No ToDo found").waitFor({ timeout: T });
    assert.equal((await bench.api(page, "GET", "/api/method/frappe.client.get_count?doctype=ToDo")).body.message, 0);
    await bench.shot(page, "16-bulk-deleted");
  });

  it("opens the operator pages: Scheduled Job Types with last and next run, RQ Jobs, System Settings", async () => {
    const { page } = a;
    await page.goto("/app/scheduled-job-type");
    await page.locator(".list .list-row[data-name]").first().waitFor({ timeout: T });
    const headers = await page.locator(".list [role=columnheader]").allInnerTexts();
    assert.ok(headers.includes("Last Execution") && headers.includes("Next Execution"), `columns: ${headers}`);
    await bench.shot(page, "17-scheduled-job-type");
    await page.goto("/app/rq-job");
    await page.getByRole("heading", { name: "RQ Job" }).waitFor({ timeout: T });
    await page.getByLabel("Status").selectOption("failed");
    await page.getByText("No jobs").waitFor({ timeout: T });
    await bench.shot(page, "18-rq-job");
    await page.goto("/app/system-settings");
    await page.getByRole("heading", { name: "System Settings" }).waitFor({ timeout: T });
    await bench.shot(page, "19-system-settings");
  });
});
