// DocType meta from frappe.desk.form.load.getdoctype, cached per page load.
import { callRaw } from "./api";
import { boot } from "./boot";

export interface DocField {
  fieldname: string;
  fieldtype: string;
  label?: string;
  options?: string;
  default?: string;
  reqd?: number;
  read_only?: number;
  hidden?: number;
  in_list_view?: number;
  in_standard_filter?: number;
  allow_on_submit?: number;
  is_virtual?: number;
  description?: string;
}

export interface DocTypeMeta {
  name: string;
  module?: string;
  istable?: number;
  issingle?: number;
  is_submittable?: number;
  custom?: number;
  allow_rename?: number;
  title_field?: string;
  sort_field?: string;
  sort_order?: string;
  autoname?: string;
  fields: DocField[];
  permissions?: Record<string, unknown>[];
}

const cache = new Map<string, Promise<Map<string, DocTypeMeta>>>();
if (boot.docs?.length) cache.set(boot.docs[0].name, Promise.resolve(new Map((boot.docs as DocTypeMeta[]).map((d) => [d.name, d]))));

export async function getMeta(doctype: string): Promise<{ meta: DocTypeMeta; children: Map<string, DocTypeMeta> }> {
  let p = cache.get(doctype);
  if (!p) {
    p = callRaw<{ docs: DocTypeMeta[] }>("frappe.desk.form.load.getdoctype", { doctype }).then((r) => new Map(r.docs.map((d) => [d.name, d])));
    cache.set(doctype, p);
    p.catch(() => cache.delete(doctype));
  }
  const docs = await p;
  return { meta: docs.get(doctype)!, children: docs };
}

export function forgetMeta(doctype: string) {
  cache.delete(doctype);
}

/** Field types without a stored value (layout only). */
export const layoutTypes = new Set(["Section Break", "Column Break", "Tab Break", "HTML", "Button", "Image", "Heading", "Fold"]);

export const tableTypes = new Set(["Table", "Table MultiSelect"]);

export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

export function label(f: DocField): string {
  return f.label || f.fieldname;
}

/**
 * A value as one line of text for lists and titles: markup (a Text Editor's HTML) is reduced to
 * its text, as Frappe's list strips HTML. DOMParser's document is inert: nothing in it runs or loads.
 */
export function plainText(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  if (!s.includes("<")) return s;
  const body = new DOMParser().parseFromString(s, "text/html").body;
  body.querySelectorAll("script, style").forEach((e) => e.remove());
  return (body.textContent ?? "").replace(/\s+/g, " ").trim();
}
