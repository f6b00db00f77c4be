// ESLint over the web client and the API docs page's script (run by `make lint`).
import js from "@eslint/js";
import globals from "globals";

// Rules beyond the recommended set that catch real bugs rather than matters of taste.
const bugRules = {
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all", ignoreRestSiblings: true }],
  eqeqeq: ["error", "always"],
  "no-shadow": ["error", { builtinGlobals: false, hoist: "functions" }],
  "prefer-const": "error",
  "no-implicit-globals": ["error", { lexicalBindings: true }],
};

export default [
  {
    // Installed packages (the .venv holds Swagger UI's and other packages' bundles), generated
    // and local data: nothing in them is ours to lint.
    ignores: ["node_modules/", ".venv/", "var/", "build/", ".bench/", "bench/results/", "**/*.min.js", "**/*-bundle.js"],
  },
  {
    ...js.configs.recommended,
    files: ["services/gateway/src/tasksync_gateway/web/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: globals.browser,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
  {
    // The service worker: a classic script with the worker's globals.
    ...js.configs.recommended,
    files: ["services/gateway/src/tasksync_gateway/web/sw.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "script",
      globals: globals.serviceworker,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
  {
    // The docs page loads Swagger UI's bundle and then this file as classic scripts.
    ...js.configs.recommended,
    files: ["services/gateway/src/tasksync_gateway/docs/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "script",
      globals: globals.browser,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
  {
    ...js.configs.recommended,
    files: ["eslint.config.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: globals.node,
    },
    rules: { ...js.configs.recommended.rules, ...bugRules },
  },
];
