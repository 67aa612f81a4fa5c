import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const backend = "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  // Django serves the built assets under /static/ and renders dist/index.html itself;
  // the dev server keeps "/" so client-side routes match the production URLs.
  base: command === "build" ? "/static/" : "/",
  plugins: [react()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Vendor code changes less often than app code; separate chunks keep browser caches warm.
        manualChunks(id) {
          if (!id.includes("node_modules")) {
            return undefined;
          }
          if (id.includes("@mantine")) {
            return "mantine";
          }
          // Charts are only on the dashboard, which loads them on demand.
          if (/[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id)) {
            return "charts";
          }
          if (/[\\/]node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/.test(id)) {
            return "react";
          }
          return "vendor";
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/ws": { target: backend, ws: true, changeOrigin: false },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
}));
