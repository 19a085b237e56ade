import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// `bench build` passes --outDir (sites/assets/frappe/desk); the server reads .vite/manifest.json
// there to name this build's hashed files in the /app page.
export default defineConfig({
  plugins: [vue()],
  base: "/assets/frappe/desk/",
  build: {
    manifest: true,
    assetsDir: "",
    target: "es2020",
    rollupOptions: { input: "src/main.ts" },
  },
});
