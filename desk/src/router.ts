// A small history router for Frappe's desk routes (vue-router would add ~25 KB for four shapes):
//   /app                       home
//   /app/<slug>                list (a Single DocType opens its form)
//   /app/<slug>/new            new document form
//   /app/<slug>/<name>         document form
import { reactive } from "vue";

export interface Route {
  path: string;
  query: URLSearchParams;
  parts: string[];
}

function parse(): Route {
  const path = location.pathname.replace(/\/+$/, "") || "/app";
  const parts = path.split("/").slice(2).map((p) => decodeURIComponent(p));
  return { path, query: new URLSearchParams(location.search), parts };
}

export const route = reactive<{ current: Route }>({ current: parse() });

export function navigate(url: string, replace = false) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route.current = parse();
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => {
  route.current = parse();
});

/** Same-origin /app links are handled here instead of a full page load. */
export function interceptLinks(root: HTMLElement) {
  root.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as HTMLElement).closest("a");
    if (!a || a.target || a.origin !== location.origin || !a.pathname.startsWith("/app")) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}

export function docUrl(slug: string, name: string) {
  return `/app/${slug}/${encodeURIComponent(name)}`;
}
