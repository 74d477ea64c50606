// @ts-check
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// Type-aware rules read the program tsconfig.json describes (projectService), so lint sees the types tsc sees.
export default defineConfig(
  {
    // Generated or recorded output (migrations, emitted schema, benchmark results), never edited by hand.
    ignores: ["dist/", "coverage/", "node_modules/", "drizzle/", "schema/*.graphql", "bench/results/", "bench/data/", "data/", "examples/*/dist/", "examples/*/src/gql/"],
  },
  {
    // The built IDE (graphiql/build.ts writes it): minified third-party bundles.
    ignores: ["graphiql/assets/"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["**/*.js"],
    extends: [js.configs.recommended],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection stops the process) and its ordering.
      "@typescript-eslint/no-floating-promises": "error",
      // An async callback where a void one is expected (an event listener, forEach) drops its rejection.
      "@typescript-eslint/no-misused-promises": "error",
      // An import used only as a type says so: what a file loads at run time is then visible at a glance.
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
      // Modules add their reasons by merging `interface ReasonRegistry extends Record<...> {}` (src/shared/errors.ts).
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // Tests read GraphQL answers as untyped JSON and assert on their shape.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // Last: turns off every stylistic rule Prettier owns.
  prettier,
);
