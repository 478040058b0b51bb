"""Control actions: `apply(state, action, ...) -> new state`. Pure; the store makes it atomic.

Each action is a frozen model, and the union of them is discriminated on `action`: what a panel
or the alert rules send is parsed once, at the edge, and refused with the field that is wrong
(issue 19, part 3). Leader actions come from the panel; `raise` and `clear` from the alert rules.
Each model applies itself; what it names is checked against the config there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from opswall.config.models import LOCALES, WallConfig
from opswall.control.fleet import screen_rule
from opswall.control.state import ActiveWarning, Focus, WallState
from opswall.control.variables import var_problem
from opswall.errors import OpswallError
from opswall.i18n import PAGES

MAX_NAME = 200


class ActionError(OpswallError):
    """An action that names nothing the wall has, or lacks what it needs."""


@dataclass(frozen=True)
class ActionContext:
    """Who acts, against which config, when."""

    actor: str
    config: WallConfig
    now_ms: int


# Ids and warning ids are short; a longer one is refused before any message could echo it.
Name = Annotated[str, Field(strict=True, min_length=1, max_length=MAX_NAME)]


class _Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SceneAction(_Action):
    """Hold a scene on its screens (clears focus and drill-down)."""

    action: Literal["scene"]
    scene: Name

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        if ctx.config.scene(self.scene) is None:
            raise ActionError(f"unknown scene '{self.scene}'")
        return replace(state, scene=self.scene, focus={}, vars={})


class ReleaseAction(_Action):
    """Back to rotation (or the default scene), its steps counted from now."""

    action: Literal["release"]

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        return replace(
            state, scene=None, focus={}, vars={}, rotation_epoch_ms=ctx.now_ms, paused_at_ms=None
        )


class FocusAction(_Action):
    """Enlarge a tile of `layout` on display `screen`; the same tap again returns."""

    action: Literal["focus"]
    screen: Name
    layout: Name
    tile: Name

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        _check_display(ctx.config, self.screen)
        layout = ctx.config.screen(self.layout)
        if layout is None or layout.tile(self.tile) is None:
            raise ActionError(f"no tile '{self.tile}' on '{self.layout}'")
        focus = dict(state.focus)
        screens = _span_screens(ctx.config, self.screen, self.layout)
        if focus.get(self.screen) == Focus(self.layout, self.tile):
            for screen in screens:  # a second tap returns
                focus.pop(screen, None)
        else:
            focus.update({screen: Focus(self.layout, self.tile) for screen in screens})
        return replace(state, focus=focus)


def _span_screens(config: WallConfig, screen: str, layout_id: str) -> tuple[str, ...]:
    """A tile of a span layout is enlarged on every screen of the span (over the whole canvas,
    issue 23); any other, on the one screen."""
    layout = config.screen(layout_id)
    return layout.span if layout is not None and screen in layout.span else (screen,)


class UnfocusAction(_Action):
    action: Literal["unfocus"]
    screen: Name

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        _check_display(ctx.config, self.screen)
        held = state.focus.get(self.screen)
        screens = _span_screens(ctx.config, self.screen, held.layout) if held else ()
        drop = {self.screen, *(s for s in screens if state.focus.get(s) == held)}
        return replace(state, focus={k: v for k, v in state.focus.items() if k not in drop})


class DrillAction(_Action):
    """Set a scene variable over the scenes' own (`value` None clears it)."""

    action: Literal["drill"]
    var: Name
    value: Any = None  # judged by `var_problem`, which names what is wrong with it

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        problem = var_problem(ctx.config, self.var, self.value)
        if problem:
            raise ActionError(problem)
        vars_ = {k: v for k, v in state.vars.items() if k != self.var}
        if self.value is not None:
            vars_[self.var] = self.value
        return replace(state, vars=vars_)


class PauseAction(_Action):
    action: Literal["pause"]

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        if state.paused_at_ms is not None:
            return state
        return replace(state, paused_at_ms=ctx.now_ms)


class ResumeAction(_Action):
    """Go on rotating from where the pause stopped."""

    action: Literal["resume"]

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        if state.paused_at_ms is None:
            return state
        epoch = state.rotation_epoch_ms + (ctx.now_ms - state.paused_at_ms)
        return replace(state, rotation_epoch_ms=epoch, paused_at_ms=None)


class AckAction(_Action):
    """Acknowledge a warning: its takeover ends; it stays listed until its rule clears."""

    action: Literal["ack"]
    warning: Name

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        warning = state.warning(self.warning)
        if warning is None or warning.acked_by is not None:
            return state
        return state.with_warning(replace(warning, acked_by=ctx.actor))


class RaiseAction(_Action):
    """A rule's condition holds: raise its warning once per episode, with its takeover."""

    action: Literal["raise"]
    rule: Name
    warning: Name
    value: float | None = None

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        rule = next((r for r in ctx.config.rules if r.id == self.rule), None)
        if rule is None:
            raise ActionError(f"unknown rule '{self.rule}'")
        if any(w.rule == self.rule and not w.cleared for w in state.warnings):
            return state  # already raised (by this replica or another): once per episode
        takeover = rule.takeover
        screens: tuple[str, ...] = ()
        if takeover:
            scene = ctx.config.scene(takeover.scene)
            screens = (takeover.screens or tuple(scene.show)) if scene else takeover.screens
        timeout = takeover.timeout if takeover else None
        warning = ActiveWarning(
            id=self.warning,
            rule=self.rule,
            severity=rule.severity,
            message={"vi": rule.message.get("vi"), "en": rule.message.get("en")},
            raised_ms=ctx.now_ms,
            value=self.value,
            scene=takeover.scene if takeover else None,
            screens=screens,
            until_ms=ctx.now_ms + int(timeout * 1000) if timeout else None,
        )
        return state.with_warning(warning)


class ClearAction(_Action):
    """A rule's condition no longer holds: its open warnings are cleared."""

    action: Literal["clear"]
    rule: Name

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        new = state
        for warning in state.warnings:
            if warning.rule == self.rule and not warning.cleared:
                new = new.with_warning(replace(warning, cleared=True))
        return new


class ScreenDownAction(_Action):
    """A wall screen has no device, or its device stopped painting or left, for too long (the
    gateway's fleet, issue 21): its warning, once per episode; cleared by `clear` with the
    screen's rule id (`fleet.screen_rule`)."""

    action: Literal["screen_down"]
    screen: Name
    warning: Name
    state: Literal["no_device", "disconnected", "not_painting"]

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        _check_display(ctx.config, self.screen)
        rule = screen_rule(self.screen)
        if any(w.rule == rule and not w.cleared for w in state.warnings):
            return state
        title = ctx.config.screen(self.screen).title  # type: ignore[union-attr]  # checked
        message: dict[str, str] = {
            locale: PAGES["fleet_warning"][locale].format(
                screen=title.get(locale), state=PAGES[f"fleet_{self.state}"][locale]
            )
            for locale in LOCALES
        }
        warning = ActiveWarning(self.warning, rule, "warning", message, ctx.now_ms)
        return state.with_warning(warning)


class PreviewAction(_Action):
    """Show a layout studio draft (by its digest, stored under `keys.studio_draft`) on one
    display instead of the file; `draft` None puts the screen back. Only this screen's view
    changes (issue 20); the studio sends it, not the panel."""

    action: Literal["preview"]
    screen: Name
    draft: Annotated[str, Field(pattern=r"^[0-9a-f]{8,64}$")] | None = None

    def apply(self, state: WallState, ctx: ActionContext) -> WallState:
        _check_display(ctx.config, self.screen)
        if state.previews.get(self.screen) == self.draft:
            return state  # already so: the studio renews its preview without a new version
        previews = {k: v for k, v in state.previews.items() if k != self.screen}
        if self.draft is not None:
            previews[self.screen] = self.draft
        return replace(state, previews=previews)


LeaderAction = (
    SceneAction
    | ReleaseAction
    | FocusAction
    | UnfocusAction
    | DrillAction
    | PauseAction
    | ResumeAction
    | AckAction
)
SystemAction = RaiseAction | ClearAction | ScreenDownAction
ControlAction = LeaderAction | SystemAction | PreviewAction


def _names(union: Any) -> tuple[str, ...]:
    return tuple(get_args(m.model_fields["action"].annotation)[0] for m in get_args(union))


LEADER_ACTIONS = _names(LeaderAction)  # what a panel may send
SYSTEM_ACTIONS = _names(SystemAction)  # what only the alert rules send
_PARSER: TypeAdapter[ControlAction] = TypeAdapter(
    Annotated[ControlAction, Field(discriminator="action")]
)


def parse_action(raw: Mapping[str, Any]) -> ControlAction:
    """The typed action `raw` describes, or ActionError naming the field that is wrong."""
    try:
        return _PARSER.validate_python(raw)
    except ValidationError as exc:
        raise ActionError(_reason(exc, raw)) from None


def _reason(exc: ValidationError, raw: Any) -> str:
    error = exc.errors()[0]
    kind = raw.get("action") if isinstance(raw, Mapping) else None
    field = str(error["loc"][1])[:64] if len(error["loc"]) > 1 else "action"
    if error["type"] in ("union_tag_invalid", "union_tag_not_found", "model_attributes_type"):
        shown = repr(kind[:64]) if isinstance(kind, str) else repr(kind)[:64]
        return f"unknown action {shown} (known: {', '.join(LEADER_ACTIONS)})"
    if error["type"] == "string_too_long":
        return f"field '{field}': at most {MAX_NAME} characters"
    if error["type"] in ("missing", "string_type", "string_too_short"):
        return f"'{kind}' needs '{field}'"
    if error["type"] == "extra_forbidden":
        return f"field {field!r}: not part of a '{kind}' action"
    return f"field '{field}': {error['msg']}"


def _check_display(config: WallConfig, screen: str) -> None:
    if screen not in {s.id for s in config.displays()}:
        raise ActionError(f"unknown screen '{screen}'")


def apply(
    state: WallState,
    action: ControlAction | Mapping[str, Any],
    actor: str,
    config: WallConfig,
    now_ms: int,
) -> WallState:
    """The state after `action` (a model, or the raw mapping a panel or rule sent)."""
    typed = parse_action(action) if isinstance(action, Mapping) else action
    new = typed.apply(state, ActionContext(actor, config, now_ms))
    if new is state:
        return state
    return replace(new, version=state.version + 1, by=actor, at_ms=now_ms)
