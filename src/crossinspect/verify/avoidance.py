"""R1 the four avoidances, R2 declared conflicts (回避), R7 places inspected in past rounds."""

from __future__ import annotations

from collections import defaultdict

from ..domain.models import FOUR_AVOIDANCES, AvoidanceField
from ..places import Resolution, resolve
from .base import Area, Placed, VerifierBase
from .normalise import fold_look_alike, loose, norm, one_edit, person_key

_FIELD_EN: dict[AvoidanceField, str] = {
    AvoidanceField.RESIDENCE: "residence",
    AvoidanceField.WORKPLACE: "workplace",
    AvoidanceField.POSTINGS: "posting",
    AvoidanceField.UPBRINGING: "upbringing",
    AvoidanceField.CONFLICTS: "declared conflict",
}


def _how_zh(how: str, area: Area, res: Resolution) -> str:
    if how == "contains":
        return f"含巡察地{area.label}（地名比回避层级粗，从严按冲突处理）"
    return f"在巡察地{area.label}内{_ambiguous_zh(res)}"


def _how_en(how: str, area: Area, res: Resolution) -> str:
    if how == "contains":
        return f"contains {area.label} (coarser than the avoidance level: a conflict, to be safe)"
    return f"lies within {area.label}{_ambiguous_en(res)}"


class AvoidanceChecks(VerifierBase):
    """Each seat against its cadre's places, 回避 entries and past inspections."""

    def _avoidance(self) -> None:
        if self._targets_by_name is None:
            self._targets_by_name = defaultdict(set)
            for j, t in enumerate(self.p.targets):
                self._targets_by_name[norm(t.name)].add(j)
        if self._history is None:
            self._history = self._history_by_cadre()
        for s in self.placed:
            # A seat's findings depend on nothing else in the plan: a roster with one
            # seat changed re-checks that seat only.
            key = (s.cadre, s.target, self._is_local(s.seat.role), s.team.team_id)
            found = self._seat_findings.get(key)
            if found is None:
                start = len(self.out)
                self._seat_avoidance(s, self._targets_by_name, self._history)
                self._seat_findings[key] = tuple(self.out[start:])
            else:
                self.out.extend(found)

    def _seat_avoidance(
        self, s: Placed, targets_by_name: dict[str, set[int]], history: dict[int, list[tuple[str, str, Resolution]]]
    ) -> None:
        places = self.p.cadre_places[s.cadre]
        area = self.areas[s.target]
        local = self._is_local(s.seat.role)
        if not local:  # R5: a local seat is exempt from the four avoidances
            for fld in FOUR_AVOIDANCES:
                for text, res in places.get(fld, ()):
                    how = self._touches(res, area)
                    if how is not None:
                        self._seat_add(
                            s,
                            "R1",
                            f"{fld.zh}「{text}」{_how_zh(how, area, res)}（R1 {fld.zh}回避）",
                            f"{_FIELD_EN[fld]} '{text}' {_how_en(how, area, res)} (R1 {_FIELD_EN[fld]} avoidance)",
                        )
            for rnd, text, res in history.get(s.cadre, ()):
                # A place inspected as a whole was inspected with every place inside it.
                if self._within(res, area) or self._contains(res, area):
                    self._seat_add(
                        s,
                        "R7",
                        f"曾于{rnd}巡察「{text}」，与巡察地{area.label}重合（R7 往轮巡察地回避）",
                        f"inspected '{text}' in round {rnd}, which overlaps {area.label} (R7 history)",
                    )
        for text in self.p.cadres[s.cadre].conflicts:
            self._declared(s, text, area, targets_by_name)

    def _declared(self, s: Placed, text: str, area: Area, targets_by_name: dict[str, set[int]]) -> None:
        """R2 for one 回避 entry, read exactly or, failing that, closely (toward safety)."""
        target = self.p.targets[s.target]
        k = norm(text)
        named = {j for j, t in enumerate(self.p.targets) if norm(t.id) == k} | targets_by_name.get(k, set())
        place = self._resolve(text)
        if named or place.codes:
            if s.target in named:
                self._seat_add(
                    s,
                    "R2",
                    f"申报回避「{text}」即巡察对象{target.name}（R2 其他回避）",
                    f"declared conflict '{text}' is the target {target.name} (R2 declared conflict)",
                )
                return
            how = self._touches(place, area)
            if how is not None:
                self._seat_add(
                    s,
                    "R2",
                    f"申报回避「{text}」{_how_zh(how, area, place)}（R2 其他回避）",
                    f"declared conflict '{text}' {_how_en(how, area, place)} (R2 declared conflict)",
                )
            return
        near = self._near_targets(k)
        if near:
            if s.target in near:
                self._seat_add(
                    s,
                    "R2",
                    f"申报回避「{text}」与巡察对象{target.id}（{target.name}）仅差一字或县市区等字，"
                    "从严视为同一（R2 其他回避）",
                    f"declared conflict '{text}' is one character or suffix away from the target "
                    f"{target.id} ({target.name}); counted as the same (R2 declared conflict)",
                )
            return
        unit = self._unit_place(text)
        if unit is None:
            return
        codes, rest = unit
        named = {
            j
            for j, t in enumerate(self.p.targets)
            if loose(t.name).endswith(loose(rest))
            and any(self.gaz.is_within(c, p) for c in self.p.target_location[j].codes for p in codes)
        }
        if named:
            if s.target in named:
                self._seat_add(
                    s,
                    "R2",
                    f"申报回避「{text}」即{target.name}（单位前写了所在地；R2 其他回避）",
                    f"declared conflict '{text}' is {target.name} (unit after its place; R2 declared conflict)",
                )
            return
        unit_place = Resolution(text=text, codes=codes)
        how = self._touches(unit_place, area)
        if how is not None:
            self._seat_add(
                s,
                "R2",
                f"申报回避「{text}」是{_how_zh(how, area, unit_place)}的单位（R2 其他回避）",
                f"declared conflict '{text}' is a unit that {_how_en(how, area, unit_place)} (R2 declared conflict)",
            )

    def _near_targets(self, k: str) -> set[int]:
        """Targets a 回避 entry that matches none exactly names closely (the verifier's own
        reading): a look-alike id; else an id or a name one edit away, or a name with an
        administrative suffix dropped or added."""
        found = self._near.get(k)
        if found is None:
            targets = self.p.targets
            found = {j for j, t in enumerate(targets) if fold_look_alike(norm(t.id)) == fold_look_alike(k)}
            if not found:
                for j, t in enumerate(targets):
                    tid, name = norm(t.id), norm(t.name)
                    if (
                        (len(k) >= 3 and len(tid) >= 3 and one_edit(k, tid))
                        or loose(k) == loose(name)
                        or (len(k) >= 4 and len(name) >= 4 and one_edit(k, name))
                    ):
                        found.add(j)
            self._near[k] = found
        return found

    def _unit_place(self, text: str) -> tuple[tuple[str, ...], str] | None:
        """(place codes, unit) when ``text`` is a unit written after its place."""
        k = norm(text)
        for cut in range(len(k) - 1, 1, -1):
            res = resolve(self.gaz, k[:cut], suggestions=False)
            if res.codes:
                return res.codes, k[cut:]
        return None

    def _history_by_cadre(self) -> dict[int, list[tuple[str, str, Resolution]]]:
        window = set(self.p.window_rounds)
        out: dict[int, list[tuple[str, str, Resolution]]] = defaultdict(list)
        for rec, res in self.p.history_places:
            if rec.round in window:
                for i in self.rows_of.get(person_key(rec.cadre_id), ()):
                    out[i].append((rec.round, rec.place, res))
        return out


def _ambiguous_zh(res: Resolution) -> str:
    return "（同名地名，按冲突处理）" if res.ambiguous else ""


def _ambiguous_en(res: Resolution) -> str:
    return " (ambiguous name, treated as a conflict)" if res.ambiguous else ""
