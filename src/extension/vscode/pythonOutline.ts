// Finds, in a Python file's text, the lines the CodeLens sit on: the main guard and the
// top-level functions. A line scan rather than a parser: it must be instant on every
// keystroke and needs no Python; lines inside strings are the only thing it can mistake.

export interface PythonOutline {
  /** 0-based line of `if __name__ == "__main__":`, or null. */
  mainGuardLine: number | null;
  topLevelFunctions: Array<{ name: string; line: number; parameters: string }>;
}

const MAIN_GUARD = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;
const TOP_LEVEL_DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^)]*)/;

export function outlinePython(text: string): PythonOutline {
  const outline: PythonOutline = { mainGuardLine: null, topLevelFunctions: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    if (outline.mainGuardLine === null && MAIN_GUARD.test(line)) outline.mainGuardLine = index;
    const def = TOP_LEVEL_DEF.exec(line);
    if (def) outline.topLevelFunctions.push({ name: def[1], line: index, parameters: def[2].trim() });
  });
  return outline;
}
