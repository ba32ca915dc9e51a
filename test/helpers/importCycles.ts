// Import cycles among TypeScript files, type-only imports included: `import type`,
// `export ... from`, `import x = require()`, `import()` in code and in types all count.
// ESLint's import/no-cycle skips type-only imports, which still tie two modules together.

import * as path from 'node:path';
import * as ts from 'typescript';

/** The files and compiler options a tsconfig.json names. */
export function projectFiles(tsconfigPath: string): { files: string[]; options: ts.CompilerOptions } {
  const read = ts.readConfigFile(tsconfigPath, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfigPath));
  return { files: parsed.fileNames, options: parsed.options };
}

export interface ImportCycle {
  /** One way round, starting and ending with the same file. */
  cycle: string[];
  /** Every file that can reach every other of them through imports; the cycle's among them. */
  tangle: string[];
}

/** One cycle for each tangle of files that import each other. */
export function findImportCycles(files: string[], options: ts.CompilerOptions): ImportCycle[] {
  const graph = importGraph(files, options);
  return stronglyConnected(graph)
    .filter((group) => group.length > 1 || graph.get(group[0])!.has(group[0]))
    .map((group) => ({ cycle: shortestCycle(graph, group), tangle: group }));
}

/** A cycle as a line, the tangle's other files after it. */
export function describeCycle({ cycle, tangle }: ImportCycle, root: string): string {
  const name = (file: string): string => path.relative(root, file);
  const others = tangle.filter((file) => !cycle.includes(file));
  return cycle.map(name).join(' → ') + (others.length > 0 ? ` (tangled with ${others.map(name).join(', ')})` : '');
}

function importGraph(files: string[], options: ts.CompilerOptions): Map<string, Set<string>> {
  const known = new Set(files.map((file) => path.resolve(file)));
  const graph = new Map<string, Set<string>>();
  for (const file of known) {
    const imported = new Set<string>();
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
    for (const specifier of moduleSpecifiers(source)) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      const target = resolved && path.resolve(resolved.resolvedFileName);
      if (target && known.has(target)) imported.add(target);
    }
    graph.set(file, imported);
  }
  return graph;
}

function moduleSpecifiers(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isImportOrRequire(callee: ts.Expression): boolean {
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
}

/** Tarjan's strongly connected components. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file)!) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(next)!));
      }
    }
    if (lowLink.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      groups.push(group.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) {
    if (!index.has(file)) visit(file);
  }
  return groups;
}

/** A shortest way from the group's first file back to itself, inside the group. */
function shortestCycle(graph: Map<string, Set<string>>, group: string[]): string[] {
  const members = new Set(group);
  const start = group[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const file = queue[at];
    for (const next of graph.get(file)!) {
      if (next === start) {
        const way = [file];
        while (way[way.length - 1] !== start) way.push(cameFrom.get(way[way.length - 1])!);
        return [...way.reverse(), start];
      }
      if (members.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
