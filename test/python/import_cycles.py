"""Import cycles among the Python packages under a folder (test/unit/tracerImports.test.ts).

    python import_cycles.py FOLDER

Every import counts: at module level and inside functions, `import a.b` and `from .x import
y` alike (relative ones resolved; `from . import m` reaches module m). Prints one JSON list:
for each tangle of modules that import each other, one cycle as its import sites
("module (file:line)"), first and last the same module.
"""
import ast
import json
import os
import sys


def module_files(root):
    """Module name -> file, for every .py file under root."""
    modules = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                modules[".".join(parts)] = path
    return modules


def imported_names(tree, module, is_package, modules):
    """(imported module, line) for every import statement anywhere in the tree.
    `from package import module` counts as an import of the module alone, not of the package
    (which, when it is the importer's parent, is running already)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:
                submodule = source + "." + alias.name
                yield (submodule if submodule in modules else source), node.lineno


def import_graph(root):
    modules = module_files(root)
    graph = {}
    for module, path in modules.items():
        with open(path, encoding="utf-8") as source:
            tree = ast.parse(source.read(), path)
        is_package = os.path.basename(path) == "__init__.py"
        edges = graph.setdefault(module, {})
        for name, line in imported_names(tree, module, is_package, modules):
            if name in modules and name != module:
                edges.setdefault(name, "%s:%d" % (os.path.relpath(path, root), line))
    return graph


def tangles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def shortest_cycle(graph, group):
    """A shortest way from the group's first module back to it, as import sites."""
    start, members = group[0], set(group)
    came_from, queue = {}, [start]
    for module in queue:
        for other in sorted(graph[module]):
            if other == start:
                way = [module]
                while way[-1] != start:
                    way.append(came_from[way[-1]])
                way.reverse()
                hops = list(zip(way, way[1:] + [start]))
                return [start] + ["%s (%s)" % (to, graph[frm][to]) for frm, to in hops]
            if other in members and other not in came_from:
                came_from[other] = module
                queue.append(other)
    return [start]


if __name__ == "__main__":
    graph = import_graph(sys.argv[1])
    print(json.dumps([shortest_cycle(graph, group) for group in tangles(graph)]))
