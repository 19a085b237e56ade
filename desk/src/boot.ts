// The boot data the server embeds in the /app page (see src/SharpBench/Desk/DeskShell.cs).
export interface BootDocType {
  name: string;
  module: string;
  issingle: number;
  is_submittable: number;
  custom: number;
}

export interface Boot {
  user: string;
  full_name: string;
  csrf_token: string;
  sitename: string;
  doctypes: BootDocType[];
  /** The routed DocType's meta (getdoctype's docs), when the URL names one. */
  docs?: { name: string }[];
}

const el = document.getElementById("desk-boot");
export const boot: Boot = el
  ? JSON.parse(el.textContent || "{}")
  : { user: "Guest", full_name: "Guest", csrf_token: "", sitename: "", doctypes: [] };

export function slug(doctype: string): string {
  return doctype.toLowerCase().replace(/ /g, "-");
}

export function doctypeFromSlug(s: string): string | undefined {
  const wanted = decodeURIComponent(s);
  const found = boot.doctypes.find((d) => slug(d.name) === wanted || d.name === wanted);
  return found?.name;
}
