/**
 * The doc of each option is the JSDoc comment above its row in the table's source (so editors show
 * it on the derived option types and the drop-in bundle does not carry it). This reads those
 * comments, following `...OTHER_TABLE` spreads to the table they come from.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface TableSource {
  /** Path from the repository root. */
  readonly file: string;
  /** The exported const that holds the table. */
  readonly name: string;
}

/** Option name -> its one-line doc, in table order. */
export function rowDocs(root: string, source: TableSource, sources: readonly TableSource[]): Map<string, string> {
  const text = readFileSync(`${root}/${source.file}`, 'utf8');
  const file = ts.createSourceFile(source.file, text, ts.ScriptTarget.Latest, true);
  const table = findObjectLiteral(file, source.name);
  if (!table) throw new Error(`${source.file}: no \`const ${source.name} = { ... }\` found`);
  const docs = new Map<string, string>();
  for (const member of table.properties) {
    if (ts.isSpreadAssignment(member)) {
      const spread = sources.find((s) => s.name === member.expression.getText(file));
      if (!spread)
        throw new Error(`${source.file}: ${source.name} spreads ${member.expression.getText(file)}, which is not a known option table`);
      for (const [name, doc] of rowDocs(root, spread, sources)) docs.set(name, doc);
      continue;
    }
    const name = member.name?.getText(file) ?? '(unnamed)';
    const doc = jsDocBefore(text, member.getFullStart());
    if (!doc) throw new Error(`${source.file}: option ${name} of ${source.name} has no /** doc */ comment above its row`);
    docs.set(name, doc);
  }
  return docs;
}

function findObjectLiteral(file: ts.SourceFile, name: string): ts.ObjectLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.name.getText(file) !== name || !declaration.initializer) continue;
      let init: ts.Expression = declaration.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) return init;
    }
  }
  return undefined;
}

/** The last /** comment before `pos`, as one line. */
function jsDocBefore(text: string, pos: number): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, pos) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
  if (!last) return undefined;
  return text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trim())
    .filter(Boolean)
    .join(' ');
}
