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
  errorJson: 0,
  sendError: 2,
  fail: 1,
};

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
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))
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
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}
