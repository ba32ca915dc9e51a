// Plain-language notes drawn from what Python printed on stderr, for problems the tracer
// cannot report because the program never really ran (a syntax error stops it at compile).

import * as path from 'node:path';

const SYNTAX_ERROR = /File "([^"]+)", line (\d+)[\s\S]*?\n(SyntaxError|IndentationError|TabError): ([^\n]*)/;

export function warningsFromStderr(stderr: string, programFile: string): string[] {
  const warnings: string[] = [];
  const syntax = SYNTAX_ERROR.exec(stderr);
  if (syntax && path.resolve(syntax[1]) === path.resolve(programFile)) {
    const [, file, line, kind, detail] = syntax;
    warnings.push(
      `Python could not read ${path.basename(file)}: ${kind} at line ${line} (${detail.trim()}); fix that line and run again.`,
    );
  }
  return warnings;
}
