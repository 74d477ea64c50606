import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/**
 * The message templates the server's code writes where it refuses something, read from the source
 * with the TypeScript parser: the message argument of `badInput`, `forbidden`, `notFound`, `conflict`,
 * `unauthenticated`, `new DomainError`, `new HttpError`, `localizedError`, `errorJson`, `sendError` and
 * the socket's `fail`. A literal is a template; a template string with `${...}` is a message that
 * cannot be translated (its values belong in `params`).
 */
const MESSAGE_ARGUMENT: Record<string, number> = {
  badInput: 1,
  forbidden: 1,
  notFound: 1,
  conflict: 1,
  unauthenticated: 0,
  DomainError: 2,
  HttpError: 2,
  localizedError: 0,
  GraphQLError: 0,
  errorJson: 0,
  sendError: 2,
  fail: 1,
  // initiative.schedule.ts: `bad(path, problem)` for one part of a schedule.
  bad: 1,
  // validation.ts: `report(message, params, reason)` for a limit of the document.
  report: 0,
};

/** zod checks whose last argument is the problem's wording (`.min(1, "must not be empty")`). */
const ZOD_CHECKS = new Set([
  "min",
  "max",
  "length",
  "regex",
  "refine",
  "superRefine",
  "email",
  "url",
  "int",
  "positive",
  "nonnegative",
  "gte",
  "lte",
  "gt",
  "lt",
  "nonempty",
  "startsWith",
  "endsWith",
  "includes",
  "trim",
]);

export interface ThrownMessage {
  file: string;
  line: number;
  template: string;
}

export interface ScanResult {
  messages: ThrownMessage[];
  /** Message arguments built with `${...}`: each is a mistake. */
  interpolated: ThrownMessage[];
}

export function scanThrownMessages(root: string): ScanResult {
  // Settings are read by operators at start-up, not by clients: src/config is not scanned.
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts") && !p.startsWith("config"))
    .map((p) => join(root, "src", p));
  const result: ScanResult = { messages: [], interpolated: [] };
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression)) {
        const index = MESSAGE_ARGUMENT[node.expression.text];
        const arg = index === undefined ? undefined : node.arguments?.[index];
        // `unauthenticated()` without a message gives its default (declared in shared/errors.ts).
        if (node.expression.text === "unauthenticated" && !arg && ts.isCallExpression(node)) {
          result.messages.push({ file: relative(root, file), line: 0, template: "Log in first: send a valid bearer token." });
        }
        if (arg) {
          const at = { file: relative(root, file), line: source.getLineAndCharacterOfPosition(arg.getStart()).line + 1 };
          if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) result.messages.push({ ...at, template: arg.text });
          else if (ts.isTemplateExpression(arg)) result.interpolated.push({ ...at, template: arg.getText() });
        }
      }
      // A schema's rule (`.min(1, "must not be empty")`) and a rule's `{ message: "..." }` (zod refinements,
      // field authorisation rules) become the problem of an error a client reads.
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ZOD_CHECKS.has(node.expression.name.text)) {
        const last = node.arguments.at(-1);
        if (node.arguments.length > 1 || (node.arguments.length === 1 && node.expression.name.text !== "refine")) {
          if (last && (ts.isStringLiteral(last) || ts.isNoSubstitutionTemplateLiteral(last)) && node.arguments.length > 1) {
            result.messages.push({ file: relative(root, file), line: source.getLineAndCharacterOfPosition(last.getStart()).line + 1, template: last.text });
          }
        }
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "message" && ts.isStringLiteral(node.initializer)) {
        result.messages.push({ file: relative(root, file), line: source.getLineAndCharacterOfPosition(node.initializer.getStart()).line + 1, template: node.initializer.text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}
