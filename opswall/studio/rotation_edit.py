"""A screen's rotation (its steps: which scene, for how long) changed in the YAML text, each
step's own lines only (issue 20).

Each step of the new list says which step of the file it was (`origin`), so a kept step keeps
its text (its comments, its style, its dwell as written when the time is the same) with only a
changed scene or dwell replaced where it stands; a new step is one flow line; a removed step
loses its lines and the comment lines just above it, which travel with a step that moves. A
flow list (`rotation: [...]`) is rewritten in its span. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opswall.config.primitives import parse_duration
from opswall.errors import OpswallError
from opswall.studio.mapping_edit import Render, written
from opswall.studio.text_spans import Lines, dash_column, item_lines, value_end


class RotationError(OpswallError):
    """A rotation the studio does not edit (written in a shape it cannot change in place)."""


@dataclass(frozen=True)
class Step:
    scene: str
    dwell: str  # as the operator typed it: "10m", "1h30m"
    origin: int | None = None  # its index in the file's rotation; None: a new step


def set_rotation(
    text: str, screen: CommentedMap, dash: int, steps: Sequence[Step], render: Render
) -> str:
    """The rotation of `screen` (a list item whose `-` is at column `dash`) made `steps`."""
    lines, rotation = Lines(text), screen.get("rotation")
    count = len(rotation) if isinstance(rotation, CommentedSeq) else 0
    if any(s.origin is not None and not 0 <= s.origin < count for s in steps):
        raise RotationError("a rotation step names a step the file does not have: reload")
    if rotation is None or not isinstance(rotation, CommentedSeq) or not rotation:
        if "rotation" in screen and not isinstance(rotation, CommentedSeq):
            raise RotationError("'rotation' is not a list: edit it in the file")
        if "rotation" in screen:  # `rotation: []`
            start = lines.offset(*screen.lc.value("rotation"))
            body = f"[{', '.join(_flow(s, render) for s in steps)}]"
            return text[:start] + body + text[value_end(text, start) :]
        return _add(text, lines, screen, dash, steps, render) if steps else text
    if not steps:  # the key and its lines go
        span = item_lines(lines, *screen.lc.key("rotation"))
        return text[: lines.starts[span.start]] + text[lines.starts[span.stop] :]
    if rotation.fa.flow_style():
        start = lines.offset(*screen.lc.value("rotation"))
        kept = [_kept_or_flow(text, lines, rotation, s, render) for s in steps]
        return text[:start] + f"[{', '.join(kept)}]" + text[value_end(text, start) :]
    return _block(text, lines, rotation, steps, render, screen.lc.key("rotation")[0] + 1)


def _flow(step: Step, render: Render) -> str:
    return render({"scene": step.scene, "dwell": step.dwell})


def _kept_or_flow(
    text: str, lines: Lines, rotation: CommentedSeq, step: Step, render: Render
) -> str:
    """A step of a flow list: its own text, changed values replaced, or a new flow mapping."""
    if step.origin is None or not isinstance(rotation[step.origin], CommentedMap):
        return _flow(step, render)
    item = rotation[step.origin]
    start = lines.offset(item.lc.line, item.lc.col)
    return _edited(text, lines, item, step, render, (start, value_end(text, start)))


def _edited(
    text: str,
    lines: Lines,
    item: CommentedMap,
    step: Step,
    render: Render,
    span: tuple[int, int],
) -> str:
    """`text[span]`, which holds the step `item`, with its scene and dwell replaced where
    they stand if they changed."""
    begin, piece = span[0], text[span[0] : span[1]]
    edits = []
    for key, new in (("scene", step.scene), ("dwell", step.dwell)):
        if key not in item:
            raise RotationError(f"a rotation step has no '{key}': edit it in the file")
        if _same_time(item[key], new) if key == "dwell" else item[key] == new:
            continue
        at = lines.offset(*item.lc.value(key))
        edits.append((at - begin, value_end(text, at) - begin, written(render, key, new)))
    for at, stop, new in sorted(edits, reverse=True):
        piece = piece[:at] + new + piece[stop:]
    return piece


def _same_time(old: object, new: str) -> bool:
    try:
        return parse_duration(old) == parse_duration(new)
    except ValueError:
        return False


def _block(
    text: str,
    lines: Lines,
    rotation: CommentedSeq,
    steps: Sequence[Step],
    render: Render,
    first_line: int,
) -> str:
    """Each step as a chunk of lines (with the comment lines above it), joined in the new
    order; the region from the line after `rotation:` to the last step's last line is
    replaced."""
    bounds, chunks = [], []
    for index in range(len(rotation)):
        line, column = rotation.lc.item(index)
        bounds.append((line, item_lines(lines, line, dash_column(lines, line, column)).stop))
    first_dash = dash_column(lines, *rotation.lc.item(0))
    for index, (line, stop) in enumerate(bounds):
        begin = lines.starts[bounds[index - 1][1] if index else min(line, first_line)]
        chunks.append((begin, lines.starts[stop]))
    region = (chunks[0][0], chunks[-1][1])
    out = []
    for step in steps:
        if step.origin is None or not isinstance(rotation[step.origin], CommentedMap):
            out.append(f"{' ' * first_dash}- {_flow(step, render)}\n")
            continue
        chunk = _edited(text, lines, rotation[step.origin], step, render, chunks[step.origin])
        out.append(chunk if chunk.endswith(("\n", "\r")) else chunk + "\n")
    return text[: region[0]] + "".join(out) + text[region[1] :]


def _add(
    text: str, lines: Lines, screen: CommentedMap, dash: int, steps: Sequence[Step], render: Render
) -> str:
    """A rotation the screen had not: after its `grid:` (or at the end of the screen)."""
    owner = screen.lc.key("grid") if "grid" in screen else (screen.lc.line, dash)
    end = item_lines(lines, *owner).stop
    indent = " " * screen.lc.col
    new = f"{indent}rotation:\n" + "".join(f"{indent}  - {_flow(s, render)}\n" for s in steps)
    if not lines.lines[end - 1].endswith(("\n", "\r")):
        new = "\n" + new
    return text[: lines.starts[end]] + new + text[lines.starts[end] :]
