/**
 * Builds the offline GraphQL IDE into graphiql/assets/: GraphiQL, React and Monaco bundled by esbuild from the
 * installed dev dependencies into plain files the server serves (src/graphql/graphiql.ts). The output is
 * committed, so `npm ci && npm start` needs no build step and production installs no browser packages;
 * `npm run graphiql:build` rebuilds it after a dependency change, and a test fails while it is stale.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Plugin, build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

/** Monaco runs its language services in web workers: each is its own classic-script bundle (see entry.ts). */
const ENTRY_POINTS = {
  graphiql: join(here, "entry.ts"),
  "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
  "json.worker": "monaco-editor/esm/vs/language/json/json.worker.js",
  "graphql.worker": "monaco-graphql/esm/graphql.worker.js",
};

/**
 * Accessibility fixes made in GraphiQL's own code, where no prop or CSS variable reaches (axe-core findings,
 * checked by the browser test). Each names the exact text it replaces, so the build stops when an upgrade
 * changes that code: then see whether GraphiQL fixed it itself, and drop or adapt the patch.
 */
const PATCHES: { file: string; why: string; from: string; to: string }[] = [
  {
    // A tab (an interactive role) held the tab's button and its close button: axe "nested-interactive".
    // The operations become a list of buttons, the current one marked with aria-current.
    file: "@graphiql/react/dist/components/tabs/index.js",
    why: "no tab role around the tab's buttons",
    from: `"aria-selected": isActive,\n\t\t\tdragElastic: false,\n\t\t\trole: "tab",`,
    to: `dragElastic: false,`,
  },
  {
    file: "@graphiql/react/dist/components/tabs/index.js",
    why: "no tablist role around the tabs, which are list items now",
    from: `axis: "x",\n\t\t\trole: "tablist",`,
    to: `axis: "x",`,
  },
  {
    file: "graphiql/dist/GraphiQL.js",
    why: "the current operation's button says it is the current one",
    from: `jsx(Tab.Button, { "aria-controls": "graphiql-session",`,
    to: `jsx(Tab.Button, { "aria-current": index_1 === activeTabIndex ? "true" : void 0, "aria-controls": "graphiql-session",`,
  },
  {
    // The editors' accent (links, matches in the completion list) on its own tinted background measured 4.2:1
    // (light) and 4.3:1 (dark); these give 5.3:1 and 5.1:1.
    file: "@graphiql/react/dist/constants.js",
    why: "a readable accent colour in the editors",
    from: `primary: {\n\t\tdark: "#ff5794",\n\t\tlight: "#d60590"\n\t},`,
    to: `primary: {\n\t\tdark: "#ff7aa9",\n\t\tlight: "#b8047c"\n\t},`,
  },
  {
    // Monaco's dark theme draws line numbers at 3.9:1 (#858585 on #212a3b), and the numbers after the last
    // line at 40% of that in both themes: all line numbers get the readable colour.
    file: "@graphiql/react/dist/constants.js",
    why: "readable line numbers",
    from: `"menu.selectionForeground": colors.primary[theme]\n});`,
    to: `"menu.selectionForeground": colors.primary[theme],\n\t...theme === "dark" ? { "editorLineNumber.foreground": "#9aa1ad", "editorLineNumber.dimmedForeground": "#9aa1ad" } : { "editorLineNumber.dimmedForeground": "#237893" }\n});`,
  },
  {
    // Comments in Monaco's dark theme: #608b4e, 3.6:1; this is 5.2:1.
    file: "@graphiql/react/dist/constants.js",
    why: "readable comments in the dark theme",
    from: `token: "argument.identifier.gql",\n\t\t\tforeground: "#908aff"\n\t\t}]`,
    to: `token: "argument.identifier.gql",\n\t\t\tforeground: "#908aff"\n\t\t}, {\n\t\t\ttoken: "comment",\n\t\t\tforeground: "#7ca668"\n\t\t}]`,
  },
  {
    // A history entry's button showed the operation's name but was called "Set active" (axe
    // "label-content-name-mismatch"): it is called by its name now; the tooltip still says what it does.
    file: "@graphiql/plugin-history/dist/components.js",
    why: "a history entry is named by what it shows",
    from: `onClick: handleHistoryItemClick, "aria-label": "Set active", children: displayName`,
    to: `onClick: handleHistoryItemClick, children: displayName`,
  },
  {
    // The completion list pointed aria-activedescendant at the row id its renderer had just replaced with its
    // own (axe "aria-valid-attr-value", critical): the list now names the id the row really has.
    file: "monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestWidget.js",
    why: "the completion list names its focused row by the row's id",
    from: `getRole: () => 'option',`,
    to: `getRole: () => 'option',\n                getActiveDescendantId: (item) => getAriaId(this._completionModel ? this._completionModel.items.indexOf(item) : 0),`,
  },
  {
    // The focused row shows the completion's type next to its name, but the row was named by the name alone
    // (axe "label-content-name-mismatch"): the type joins the name, so a screen reader says it too.
    file: "monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestWidget.js",
    why: "a completion is named by the name and type it shows",
    from: `let label = item.textLabel;`,
    to: `let label = typeof item.completion.label === 'string' && item.completion.detail ? \`\${item.textLabel} \${item.completion.detail}\` : item.textLabel;`,
  },
  {
    // The name and the type sit in two spans side by side, so the row's text read as one word ("helpRequest" +
    // "HelpRequest!" gave "helpRequestHelpRequest!", which axe "label-content-name-mismatch" does not find in
    // "helpRequest HelpRequest!"). A space between the two, which a flex row does not draw, makes them two words.
    file: "monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestWidgetRenderer.js",
    why: "a completion row's name and type are two words",
    from: `const right = append(main, $('span.right'));`,
    to: `main.append(' ');\n        const right = append(main, $('span.right'));`,
  },
];

/** Applies PATCHES while esbuild loads each file; a patch that no longer matches fails the build. */
function accessibilityPatches(): Plugin {
  const files = [...new Set(PATCHES.map((patch) => patch.file))];
  // Only these files go through JavaScript; esbuild loads the other few thousand itself.
  const filter = new RegExp(`/node_modules/(${files.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
  return {
    name: "accessibility-patches",
    setup(esbuild) {
      const applied = new Set<(typeof PATCHES)[number]>();
      esbuild.onStart(() => applied.clear());
      esbuild.onLoad({ filter }, (args) => {
        let contents = readFileSync(args.path, "utf8");
        for (const patch of PATCHES.filter((p) => args.path.endsWith(`/node_modules/${p.file}`))) {
          if (!contents.includes(patch.from)) throw new Error(`GraphiQL changed: the patch "${patch.why}" no longer matches ${patch.file}.`);
          contents = contents.replace(patch.from, patch.to);
          applied.add(patch);
        }
        return { contents, loader: "js" };
      });
      esbuild.onEnd((result) => {
        const missing = PATCHES.filter((patch) => !applied.has(patch));
        if (missing.length && !result.errors.length) throw new Error(`These patches found no file to change: ${missing.map((p) => p.file).join(", ")}.`);
      });
    },
  };
}

export const LICENSES_FILE = "THIRD-PARTY-LICENSES.txt";

/** The package folder an input path belongs to (the last node_modules segment decides for nested installs). */
function packageDirOf(input: string): string | undefined {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const [scopeOrName, name] = input.slice(at + "node_modules/".length).split("/");
  return join(root, input.slice(0, at), "node_modules", scopeOrName.startsWith("@") ? `${scopeOrName}/${name}` : scopeOrName);
}

/** The notices of every package whose code ends up in the bundles: the minified files carry none of them. */
function licenceNotices(inputs: string[]): string {
  const dirs = [...new Set(inputs.map(packageDirOf).filter((dir): dir is string => dir !== undefined))];
  const packages = dirs
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; license?: string } }))
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
  const sections = packages.map(({ dir, pkg }) => {
    const files = readdirSync(dir).filter((file) => /^(licen[cs]e|copying|notice|thirdpartynotices)(\.|-|$)/i.test(file));
    const texts = files.map((file) => readFileSync(join(dir, file), "utf8").trim());
    return [`${pkg.name}@${pkg.version} (${pkg.license ?? "licence not declared"})`, ...(texts.length ? texts : ["(no licence file in the package)"])].join("\n\n");
  });
  const rule = `\n\n${"-".repeat(80)}\n\n`;
  return `Third-party software bundled into the files of this folder, with its licence notices.${rule}${sections.join(rule)}\n`;
}

/** Builds into `outdir` (emptied first) and returns the size of each file written, in bytes. */
export async function buildGraphiql(outdir: string = join(here, "assets")): Promise<Record<string, number>> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome120", "firefox120", "safari17"],
    // React's production build; Monaco's icon font is referenced from the stylesheet by its plain name.
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".ttf": "file" },
    assetNames: "[name]",
    legalComments: "none",
    metafile: true,
    plugins: [accessibilityPatches()],
    logLevel: "warning",
  });
  copyFileSync(join(here, "favicon.svg"), join(outdir, "favicon.svg"));
  writeFileSync(join(outdir, LICENSES_FILE), licenceNotices(Object.keys(result.metafile.inputs)));
  return Object.fromEntries(readdirSync(outdir).map((file) => [file, readFileSync(join(outdir, file)).length]));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const outdir = process.argv[2] ?? join(here, "assets");
  const sizes = await buildGraphiql(outdir);
  for (const [file, bytes] of Object.entries(sizes)) console.log(`${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${relative(root, join(outdir, file))}`);
  console.log(`built in ${Math.round(performance.now() - started)} ms`);
}
