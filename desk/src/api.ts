// The desk's only way to the server: Frappe's public HTTP API (/api/method, /api/resource),
// with the session cookie and the CSRF token from the boot data.
import { boot } from "./boot";
import { reactive } from "vue";

export interface ServerMessage {
  message: string;
  title?: string;
  indicator?: string;
}

/** Messages waiting to be shown in the message dialog (Frappe's msgprint). */
export const messages = reactive<{ list: ServerMessage[] }>({ list: [] });

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    public excType: string | undefined,
    public serverMessages: ServerMessage[],
  ) {
    super(message);
  }
}

function parseServerMessages(raw: unknown): ServerMessage[] {
  if (typeof raw !== "string") return [];
  try {
    const outer = JSON.parse(raw) as unknown[];
    return outer.map((m) => {
      const parsed = typeof m === "string" ? safeJson(m) : m;
      if (parsed && typeof parsed === "object") return parsed as ServerMessage;
      return { message: String(parsed ?? m) };
    });
  } catch {
    return [{ message: raw }];
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function stripHtml(html: string): string {
  const d = document.createElement("div");
  d.innerHTML = html;
  return d.textContent || "";
}

async function request<T>(method: string, url: string, body?: BodyInit | null, json = true): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "X-Frappe-CSRF-Token": boot.csrf_token };
  if (json && body != null) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body, credentials: "same-origin" });
  let data: Record<string, unknown> = {};
  const text = await res.text();
  if (text) data = (safeJson(text) as Record<string, unknown>) ?? {};
  const msgs = parseServerMessages(data._server_messages);
  if (!res.ok) {
    if (res.status === 401 || data.session_expired) {
      location.href = "/login?redirect-to=" + encodeURIComponent(location.pathname + location.search);
    }
    const exc = typeof data.exc_type === "string" ? data.exc_type : undefined;
    const text = msgs.map((m) => stripHtml(m.message)).join("\n") || (typeof data.exception === "string" ? data.exception : "") || res.statusText;
    messages.list.push(...(msgs.length ? msgs : [{ message: text, title: exc || "Error", indicator: "red" }]).map((m) => ({ ...m, indicator: m.indicator || "red" })));
    throw new ApiError(text, res.status, exc, msgs);
  }
  if (msgs.length) messages.list.push(...msgs);
  return data as T;
}

export async function call<T = unknown>(method: string, args: Record<string, unknown> = {}, httpMethod: "GET" | "POST" = "POST"): Promise<T> {
  if (httpMethod === "GET") {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(args)) if (v !== undefined) q.set(k, typeof v === "string" ? v : JSON.stringify(v));
    const r = await request<{ message: T }>("GET", `/api/method/${method}?${q}`);
    return r.message;
  }
  const r = await request<{ message: T }>("POST", `/api/method/${method}`, JSON.stringify(args));
  return r.message;
}

/** The whole response (for methods that answer outside "message", like getdoctype's docs). */
export function callRaw<T>(method: string, args: Record<string, unknown>): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(args)) q.set(k, typeof v === "string" ? v : JSON.stringify(v));
  return request<T>("GET", `/api/method/${method}?${q}`);
}

export type Doc = Record<string, any>;

export interface ListArgs {
  fields?: string[];
  filters?: unknown[];
  order_by?: string;
  limit_start?: number;
  limit_page_length?: number;
}

export async function getList(doctype: string, args: ListArgs): Promise<Doc[]> {
  const q = new URLSearchParams();
  if (args.fields) q.set("fields", JSON.stringify(args.fields));
  if (args.filters) q.set("filters", JSON.stringify(args.filters));
  if (args.order_by) q.set("order_by", args.order_by);
  if (args.limit_start !== undefined) q.set("limit_start", String(args.limit_start));
  if (args.limit_page_length !== undefined) q.set("limit_page_length", String(args.limit_page_length));
  const r = await request<{ data: Doc[] }>("GET", `/api/resource/${encodeURIComponent(doctype)}?${q}`);
  return r.data;
}

export function getCount(doctype: string, filters: unknown[]): Promise<number> {
  return call<number>("frappe.client.get_count", { doctype, filters }, "GET");
}

export async function getDoc(doctype: string, name: string): Promise<Doc> {
  const r = await request<{ data: Doc }>("GET", `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`);
  return r.data;
}

export async function insertDoc(doc: Doc): Promise<Doc> {
  const r = await request<{ data: Doc }>("POST", `/api/resource/${encodeURIComponent(doc.doctype)}`, JSON.stringify(doc));
  return r.data;
}

export function saveDoc(doc: Doc): Promise<Doc> {
  return call<Doc>("frappe.client.save", { doc });
}

export async function deleteDoc(doctype: string, name: string): Promise<void> {
  await request("DELETE", `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`);
}

export async function uploadFile(file: File, opts: { doctype?: string; docname?: string; fieldname?: string; is_private?: boolean }): Promise<Doc> {
  const form = new FormData();
  form.append("file", file, file.name);
  if (opts.doctype && opts.docname) {
    form.append("doctype", opts.doctype);
    form.append("docname", opts.docname);
    if (opts.fieldname) form.append("fieldname", opts.fieldname);
  }
  form.append("is_private", opts.is_private ? "1" : "0");
  const r = await request<{ message: Doc }>("POST", "/api/method/upload_file", form, false);
  return r.message;
}
