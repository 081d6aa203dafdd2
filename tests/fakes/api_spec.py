"""Check Bot API requests against the official description in ``api.json``.

Why: a fake server that accepts anything lets the bot ship requests that the real Telegram
rejects (a 65-byte ``callback_data``, a 4097-character text, an unescaped ``.`` in MarkdownV2).
Everything here is derived from the machine-readable Bot API description, plus a few rules that
the description states only in prose and that are written out by hand below.

Values are checked the way the Bot API server reads them: top-level parameters are strings
(form fields; a JSON body's top-level values are turned into strings first, as Telegram does),
nested objects are JSON and are typed strictly.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

SPEC_ENV_VAR = "COACH_BOT_API_SPEC"

_LENGTH_RE = re.compile(r"(\d+)\s*-\s*(\d+)\s+(characters|bytes)\b", re.IGNORECASE)
_REQUIRED_IF_RE = re.compile(
    r"required if ([a-z_]+(?: and [a-z_]+)*) (?:is not|are not|isn't|aren't) specified",
    re.IGNORECASE,
)
_ONE_OF_OTHER_RE = re.compile(
    r"(Exactly|At most) one of the fields other than ([a-z_, ]+?),? must be used"
)
_ONE_OF_PAIR_RE = re.compile(r"(Exactly|At most) one of the fields ([a-z_]+) or ([a-z_]+) must")
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always)\s+[\"“]?([A-Za-z_]+)")

# Description limits that are not about the value itself would give false positives; none of
# the 10.1 ones are (checked by hand for sendMessage, editMessageText, answerCallbackQuery,
# setMyCommands, setMyDescription, setMyShortDescription, sendPhoto, sendDocument and
# InlineKeyboardButton), but the hook stays so a future description can be silenced here.
_IGNORED_LENGTH_LIMITS: frozenset[tuple[str, str]] = frozenset()

# Rules the description states only in prose (or not at all), written out by hand.
_EXTRA_MIN_LENGTH: dict[tuple[str, str], int] = {
    # Telegram answers "BUTTON_TEXT_INVALID"-style errors for empty button labels.
    ("InlineKeyboardButton", "text"): 1,
    ("KeyboardButton", "text"): 1,
}
_PATTERNS: dict[tuple[str, str], tuple[re.Pattern[str], str]] = {
    ("BotCommand", "command"): (
        re.compile(r"[a-z0-9_]{1,32}"),
        "can contain only lowercase English letters, digits and underscores",
    ),
}
_MAX_ITEMS: dict[tuple[str, str], int] = {("setMyCommands", "commands"): 100}
# Types whose description says a plain String may stand in for the object.
_STRING_STANDS_IN: frozenset[str] = frozenset({"KeyboardButton"})

_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "tg-time",
        "code",
        "pre",
        "blockquote",
    }
)
_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}


def default_spec_path() -> Path:
    """Where api.json lives: ``$COACH_BOT_API_SPEC`` or ``<repo parent>/shared/...``."""
    override = os.environ.get(SPEC_ENV_VAR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.json"


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (what the spec calls InputFile)."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Issue:
    """One way a request departs from the spec.

    ``fatal`` issues are ones Telegram answers with 400; the others (unknown parameters or
    fields) Telegram silently ignores, which is exactly why they are worth flagging.
    """

    path: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class CheckResult:
    """Outcome of checking one request: the decoded parameters and the issues found."""

    method: str | None
    params: dict[str, Any]
    issues: list[Issue]

    @property
    def fatal(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.fatal]


def parse_entities(text: str, parse_mode: str | None) -> tuple[str, str | None]:
    """Return ``(plain text, error)`` for a text in the given parse mode.

    An approximation of Telegram's entity parser: good enough to measure lengths "after
    entities parsing" and to catch the markup mistakes Telegram rejects with
    "can't parse entities".
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown_legacy(text)
    if mode:
        return text, f"unsupported parse_mode {parse_mode!r}"
    return text, None


def _parse_html(text: str) -> tuple[str, str | None]:
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:lt])
        match = _HTML_TAG_RE.match(text, lt)
        offset = len(text[:lt].encode())
        if match is None:
            return "", f"can't parse entities: unescaped '<' at byte offset {offset}"
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in _HTML_TAGS:
            kind = "end" if closing else "start"
            return "", f'can\'t parse entities: unsupported {kind} tag "{name}" at byte {offset}'
        if closing:
            if not stack or stack[-1] != name:
                expected = f'"</{stack[-1]}>"' if stack else "no end tag"
                return "", (
                    f"can't parse entities: unmatched end tag at byte offset {offset}, "
                    f'expected {expected}, found "</{name}>"'
                )
            stack.pop()
        else:
            stack.append(name)
        pos = match.end()
    if stack:
        return "", f"can't parse entities: can't find end tag corresponding to \"{stack[-1]}\""
    return html.unescape("".join(out)), None


def _read_until(text: str, start: int, closer: str) -> int:
    """Index of the first unescaped ``closer`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(closer, i):
            return i
        i += 1
    return -1


def _unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _parse_markdown_v2(text: str) -> tuple[str, str | None]:
    out: list[str] = []
    open_marks: list[tuple[str, int]] = []
    i, n = 0, len(text)

    def offset(at: int) -> int:
        return len(text[:at].encode())

    while i < n:
        c = text[i]
        at_line_start = i == 0 or text[i - 1] == "\n"
        if c == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
            continue
        if c == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = _read_until(text, i + len(fence), fence)
            if end < 0:
                name = "Pre" if fence == "```" else "Code"
                return "", f"can't parse entities: can't find end of {name} entity at {offset(i)}"
            body = text[i + len(fence) : end]
            if fence == "```" and "\n" in body:
                body = body.split("\n", 1)[1]  # the first line names the language
            out.append(_unescape_md(body))
            i = end + len(fence)
            continue
        if c == "[" or (c == "!" and text.startswith("![", i)):
            start = i + (2 if c == "!" else 1)
            close = _read_until(text, start, "]")
            if close < 0 or not text.startswith("(", close + 1):
                return "", f"can't parse entities: can't find end of a URL at byte {offset(i)}"
            url_end = _read_until(text, close + 2, ")")
            if url_end < 0:
                return "", f"can't parse entities: can't find end of a URL at byte {offset(i)}"
            inner, error = _parse_markdown_v2(text[start:close])
            if error:
                return "", error
            out.append(inner)
            i = url_end + 1
            continue
        if c == ">" and at_line_start:
            i += 1
            continue
        if c in "*_~|":
            mark = c
            if c in "_|" and text.startswith(c * 2, i):
                mark = c * 2
            elif c == "|":
                return "", (
                    "can't parse entities: character '|' is reserved and must be escaped "
                    "with the preceding '\\'"
                )
            names = [m for m, _ in open_marks]
            if mark in names:
                del open_marks[len(names) - 1 - names[::-1].index(mark)]
            else:
                open_marks.append((mark, i))
            i += len(mark)
            continue
        if c in _MDV2_RESERVED:
            return "", (
                f"can't parse entities: character '{c}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        out.append(c)
        i += 1
    if open_marks:
        mark, at = open_marks[-1]
        return "", (
            f"can't parse entities: can't find end of {_MDV2_NAMES[mark]} entity "
            f"at byte offset {offset(at)}"
        )
    return "".join(out), None


def _parse_markdown_legacy(text: str) -> tuple[str, str | None]:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            i += 2
            continue
        if c in "*_`" or c == "[":
            closer = {"*": "*", "_": "_", "`": "`", "[": "]"}[c]
            if text.startswith("```", i):
                closer, c = "```", "```"
            end = text.find(closer, i + len(c))
            if end < 0 or (c == "[" and not text.startswith("(", end + 1)):
                where = len(text[:i].encode())
                return "", (
                    f"can't parse entities: can't find end of the entity starting at byte "
                    f"offset {where}"
                )
            out.append(text[i + len(c) : end])
            i = end + len(closer)
            if c == "[":
                url_end = text.find(")", i)
                i = n if url_end < 0 else url_end + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), None


def _describe(value: object) -> str:
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class BotApiSpec:
    """The Bot API description, with request checking.

    ``validate`` returns every violation as text; ``check`` also says which ones Telegram
    would reject and returns the parameters decoded to Python values.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", "unknown"))
        self.methods: dict[str, dict[str, Any]] = dict(data["methods"])
        self.types: dict[str, dict[str, Any]] = dict(data["types"])
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: str | Path | None = None) -> BotApiSpec:
        """Load (and cache) the spec from ``path`` or :func:`default_spec_path`."""
        resolved = Path(path) if path is not None else default_spec_path()
        return _load_cached(str(resolved.resolve()))

    def canonical_method(self, name: str) -> str | None:
        """Telegram method names are case-insensitive; return the documented spelling."""
        return self._by_lower.get(name.lower())

    def fields_of(self, name: str, *, kind: str = "methods") -> dict[str, dict[str, Any]]:
        source = self.methods if kind == "methods" else self.types
        return {f["name"]: f for f in source[name].get("fields", [])}

    def validate(self, method: str, params: Mapping[str, Any]) -> list[str]:
        """Every violation in a request, as readable text (empty when the request is fine)."""
        return [str(issue) for issue in self.check(method, params).issues]

    def validate_object(self, type_name: str, value: object) -> list[str]:
        """Violations of a JSON value against a type, e.g. a Message the fake returns."""
        _, issues = self._check_value([type_name], value, type_name)
        return [str(issue) for issue in issues]

    def check(self, method: str, params: Mapping[str, Any]) -> CheckResult:
        """Decode and check one request's parameters."""
        canonical = self.canonical_method(method)
        if canonical is None:
            return CheckResult(None, dict(params), [Issue(method, "unknown method")])
        fields = self.fields_of(canonical)
        raw = {key: _top_level_form(value) for key, value in params.items()}
        decoded: dict[str, Any] = {}
        issues: list[Issue] = []
        for key, value in raw.items():
            path = f"{canonical}.{key}"
            spec_field = fields.get(key)
            if spec_field is None:
                decoded[key] = value
                issues.append(Issue(path, "unknown parameter (Telegram ignores it)", False))
                continue
            decoded[key], found = self._check_value(spec_field["types"], value, path, form=True)
            issues.extend(found)
        issues.extend(self._check_members(canonical, fields, decoded, canonical, kind="methods"))
        return CheckResult(canonical, decoded, issues)

    # -- values ---------------------------------------------------------------------------

    def _check_value(
        self, types: Sequence[str], value: object, path: str, *, form: bool = False
    ) -> tuple[Any, list[Issue]]:
        """Check ``value`` against a union of types; the first clean alternative wins."""
        candidates: list[tuple[Any, list[Issue]]] = []
        for type_name in types:
            result = self._check_one(type_name, value, path, form=form)
            if result is None:
                continue
            if not any(issue.fatal for issue in result[1]):
                return result
            candidates.append(result)
        if candidates:
            return min(candidates, key=lambda c: sum(issue.fatal for issue in c[1]))
        expected = " or ".join(types)
        return value, [Issue(path, f"expected {expected}, got {_describe(value)}")]

    def _check_one(
        self, type_name: str, value: object, path: str, *, form: bool
    ) -> tuple[Any, list[Issue]] | None:
        """``None`` means the value does not even have this type's shape."""
        if type_name.startswith("Array of "):
            inner = type_name.removeprefix("Array of ")
            if form and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    return value, [Issue(path, f"can't parse JSON array from {_describe(value)}")]
            if not isinstance(value, list):
                return None
            items: list[Any] = []
            issues: list[Issue] = []
            for index, item in enumerate(value):
                item_value, found = self._check_value([inner], item, f"{path}[{index}]")
                items.append(item_value)
                issues.extend(found)
            return items, issues
        scalar = _check_scalar(type_name, value, form=form)
        if scalar is not None:
            return scalar
        if type_name in {"Integer", "Float", "Float number", "Boolean", "String", "InputFile"}:
            return None
        if type_name not in self.types:
            return value, [Issue(path, f"spec names an unknown type {type_name!r}")]
        if type_name in _STRING_STANDS_IN and isinstance(value, str) and not form:
            return value, []
        if form and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value, [Issue(path, f"can't parse {type_name} JSON from {_describe(value)}")]
        if not isinstance(value, dict):
            return None
        return value, self._check_object(type_name, value, path)

    def _check_object(self, type_name: str, value: dict[str, Any], path: str) -> list[Issue]:
        spec_type = self.types[type_name]
        subtypes = spec_type.get("subtypes")
        if subtypes:
            return self._check_abstract(type_name, subtypes, value, path)
        fields = {f["name"]: f for f in spec_type.get("fields", [])}
        if not fields:
            return []  # a placeholder type such as CallbackGame
        issues: list[Issue] = []
        present: dict[str, Any] = {}
        for key, item in value.items():
            spec_field = fields.get(key)
            if spec_field is None:
                issues.append(Issue(f"{path}.{key}", "unknown field (Telegram ignores it)", False))
                continue
            if item is None:
                continue
            _, found = self._check_value(spec_field["types"], item, f"{path}.{key}")
            issues.extend(found)
            present[key] = item
        issues.extend(self._check_members(type_name, fields, present, path, kind="types"))
        return issues

    def _check_abstract(
        self, type_name: str, subtypes: Iterable[str], value: dict[str, Any], path: str
    ) -> list[Issue]:
        """Pick the subtype by its discriminator field (``type``, ``source``...) when it has one."""
        named: list[str] = []
        for subtype in subtypes:
            if subtype not in self.types:
                continue  # RichText also lists String and arrays; objects never match those
            for spec_field in self.types[subtype].get("fields", []):
                tag = _DISCRIMINATOR_RE.search(spec_field["description"])
                if spec_field["name"] in {"type", "source", "status"} and tag:
                    if value.get(spec_field["name"]) == tag.group(1):
                        return self._check_object(subtype, value, path)
                    named.append(subtype)
                    break
        others = [s for s in subtypes if s in self.types and s not in named]
        if not others:
            return [Issue(path, f"no {type_name} subtype matches {_describe(value)}")]
        best: list[Issue] | None = None
        for subtype in others:
            found = self._check_object(subtype, value, path)
            if not any(issue.fatal for issue in found):
                return found
            if best is None or len(found) < len(best):
                best = found
        return best or []

    # -- rules across members ---------------------------------------------------------------

    def _check_members(
        self,
        owner: str,
        fields: Mapping[str, dict[str, Any]],
        present: Mapping[str, Any],
        path: str,
        *,
        kind: str,
    ) -> list[Issue]:
        """Required members, length limits, patterns and "exactly one of" rules."""
        issues: list[Issue] = []
        for name, spec_field in fields.items():
            where = f"{path}.{name}"
            if name not in present:
                if spec_field["required"]:
                    issues.append(Issue(where, "missing required " + _member(kind)))
                else:
                    needed = _REQUIRED_IF_RE.search(spec_field["description"])
                    if needed:
                        others = [n for n in needed.group(1).split(" and ") if n]
                        if not all(other in present for other in others):
                            issues.append(
                                Issue(where, f"missing, required if {needed.group(1)} is absent")
                            )
                continue
            value = present[name]
            if isinstance(value, str):
                issues.extend(self._check_string(owner, spec_field, value, present, where))
            limit = _MAX_ITEMS.get((owner, name))
            if limit is not None and isinstance(value, list) and len(value) > limit:
                issues.append(Issue(where, f"{len(value)} items, at most {limit} allowed"))
        issues.extend(self._check_one_of(owner, kind, fields, present, path))
        return issues

    def _check_string(
        self,
        owner: str,
        spec_field: Mapping[str, Any],
        value: str,
        present: Mapping[str, Any],
        where: str,
    ) -> list[Issue]:
        name = spec_field["name"]
        description = spec_field["description"]
        issues: list[Issue] = []
        measured = value
        after_entities = "after entit" in description
        if after_entities:
            mode = present.get(f"{name}_parse_mode", present.get("parse_mode"))
            explicit = f"{name}_entities" in present or "entities" in present
            if mode is not None and not explicit:
                measured, error = parse_entities(value, str(mode))
                if error:
                    return [Issue(where, error)]
            measured = measured.strip()
        limits = _LENGTH_RE.search(description)
        if limits and (owner, name) not in _IGNORED_LENGTH_LIMITS:
            low, high, unit = int(limits.group(1)), int(limits.group(2)), limits.group(3).lower()
            size = len(measured.encode()) if unit == "bytes" else len(measured)
            if not low <= size <= high:
                shown = f"{size} {unit}" + (" after entities parsing" if after_entities else "")
                issues.append(Issue(where, f"{shown}, must be {low}-{high} {unit}"))
        minimum = _EXTRA_MIN_LENGTH.get((owner, name))
        if minimum is not None and len(value) < minimum:
            issues.append(Issue(where, f"must be at least {minimum} characters"))
        pattern = _PATTERNS.get((owner, name))
        if pattern is not None and not pattern[0].fullmatch(value):
            issues.append(Issue(where, f"{value!r}: {pattern[1]}"))
        return issues

    def _check_one_of(
        self,
        owner: str,
        kind: str,
        fields: Mapping[str, dict[str, Any]],
        present: Mapping[str, Any],
        path: str,
    ) -> list[Issue]:
        source = self.methods if kind == "methods" else self.types
        description = " ".join(source[owner].get("description", []))
        rule = _ONE_OF_OTHER_RE.search(description)
        if rule:
            excluded = set(re.findall(r"[a-z_]+", rule.group(2))) - {"and"}
            group = [name for name in fields if name not in excluded]
        else:
            pair = _ONE_OF_PAIR_RE.search(description)
            if not pair:
                return []
            rule = pair
            group = [pair.group(2), pair.group(3)]
        used = [name for name in group if name in present]
        exactly = rule.group(1) == "Exactly"
        if len(used) > 1 or (exactly and not used):
            quantity = "exactly" if exactly else "at most"
            names = ", ".join(group)
            return [Issue(path, f"{quantity} one of {names} must be used, got {used or 'none'}")]
        return []


def _member(kind: str) -> str:
    return "parameter" if kind == "methods" else "field"


def _top_level_form(value: object) -> object:
    """Telegram reads a JSON body's top-level values as if they were form fields."""
    if isinstance(value, str | UploadedFile):
        return value
    if isinstance(value, bytes):
        return UploadedFile(name="", filename=None, content_type=None, data=value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _check_scalar(type_name: str, value: object, *, form: bool) -> tuple[Any, list[Issue]] | None:
    """Primitive types; ``None`` when the value is not of this type (or it is not primitive)."""
    if type_name == "InputFile":
        if isinstance(value, UploadedFile):
            return value, []
        if isinstance(value, str) and value.startswith("attach://"):
            return value, []
        return None
    if isinstance(value, UploadedFile):
        return None
    if form and isinstance(value, str):
        if type_name == "Integer":
            return (int(value), []) if re.fullmatch(r"-?\d+", value.strip()) else None
        if type_name in {"Float", "Float number"}:
            try:
                return float(value), []
            except ValueError:
                return None
        if type_name == "Boolean":
            lowered = value.strip().lower()
            if lowered not in {"true", "false", "1", "0"}:
                return None
            return lowered in {"true", "1"}, []
        if type_name == "String":
            return value, []
        return None
    if type_name == "Integer":
        return (value, []) if _is_int(value) else None
    if type_name in {"Float", "Float number"}:
        return (value, []) if _is_int(value) or isinstance(value, float) else None
    if type_name == "Boolean":
        return (value, []) if isinstance(value, bool) else None
    if type_name == "String":
        return (value, []) if isinstance(value, str) else None
    return None


@lru_cache(maxsize=4)
def _load_cached(path: str) -> BotApiSpec:
    with open(path, encoding="utf-8") as handle:
        return BotApiSpec(json.load(handle))
