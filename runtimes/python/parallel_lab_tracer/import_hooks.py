"""Post-import hooks: run a patch right after a chosen module has executed.

The tracer never imports multiprocessing itself (a program that does not use it must not
pay for it). Instead a finder placed first on sys.meta_path notices when a watched module
is about to be loaded, lets the real finder and loader do all the work, and runs the
registered patches on the freshly executed module. For any other import the finder costs
one dict lookup.
"""

import sys

# module name -> patches, each a callable taking the module
_patches_by_module = {}


def after_import(module_name, patch):
    """Runs `patch(module)` once `module_name` is imported (at once if it already is)."""
    _patches_by_module.setdefault(module_name, []).append(patch)
    if module_name in sys.modules:
        _apply(patch, sys.modules[module_name])
    if not any(finder is _finder for finder in sys.meta_path):
        sys.meta_path.insert(0, _finder)


def _apply(patch, module):
    try:
        patch(module)
    except Exception:
        pass  # An unpatched module is a less-traced program, never a broken one.


class _PostImportFinder(object):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _patches_by_module:
            return None
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            if finder is self or find_spec is None:
                continue
            spec = find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader)
                return spec
        return None


class _PatchingLoader(object):
    """Stands in for the real loader only while the module loads."""

    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        create_module = getattr(self._loader, "create_module", None)
        return create_module(spec) if create_module is not None else None

    def exec_module(self, module):
        # Hand the module back its real loader first, so that nothing of the tracer stays
        # visible on it (module.__loader__, reload, inspect.getsource).
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        for patch in _patches_by_module.get(module.__name__, ()):
            _apply(patch, module)


_finder = _PostImportFinder()
