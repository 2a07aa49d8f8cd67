"""Turn an event folder, its YAML and the layouts into validated content and layouts."""

from ..exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "Project": "folders",
        "find_project": "folders",
        "read_content": "project",
        "read_layout": "project",
        "read_build_spec": "project",
        "read_guests": "guests",
        "load_yaml": "nodes",
        "overlay": "nodes",
        "Content": "model",
        "Layout": "layout",
        "Text": "types",
        "json_schema": "json_schema",
    },
)
