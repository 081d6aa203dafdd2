"""Reading content YAML: plain data only, and a key given twice is an error, not a silent win.

PyYAML keeps the last of two equal keys in a mapping without a word, so a lexicon group with
``requires:`` written twice would quietly lose the first list. Content is hand-edited; that
mistake must fail at load like any other.
"""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's parser when PyYAML was built with it (the wheels are): the same documents, about
#: seven times faster than the pure-Python one. Construction stays in Python either way.
_Base: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key '{key_node.value}' is given twice",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


def load_yaml(text: str) -> Any:
    """Parse one YAML document as plain data; raises ``yaml.YAMLError`` on bad input."""
    return yaml.load(text, Loader=_StrictLoader)  # a safe loader: plain data only
