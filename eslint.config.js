// eslint (flat config): the recommended rules on every JavaScript file of the project.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "opswall/assets/vendor/", "test-artifacts/", "bench/results/"] },
  js.configs.recommended,
  {
    // The browser's ES modules: the wall's client, its tiles, the panel and their helpers.
    files: ["opswall/static/**/*.js", "opswall/tiles/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: globals.browser,
    },
  },
  {
    // Classic scripts and the functions Playwright evaluates in a page.
    files: ["opswall/static/refresh.js", "opswall/legibility/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
