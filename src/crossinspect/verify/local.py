"""R5 local seats: a local role (``local_roles``) is held by a cadre of the inspected county."""

from __future__ import annotations

from .base import VerifierBase


class LocalChecks(VerifierBase):
    """Each local seat against the county it serves."""

    def _local(self) -> None:
        for s in self.placed:
            if not self._is_local(s.seat.role):
                continue
            src, dst = self.pool[s.cadre], self.tcounty[s.target]
            if src != dst:
                role = s.seat.role
                self._seat_add(
                    s,
                    "R5",
                    f"任{role.zh}，须由被巡察县区{self._name(dst)}的干部担任，但其来自{self._name(src)}"
                    "（R5 本地联络角色）",
                    f"is {role.value}, a local role for {self._name(dst)} cadres, but comes from "
                    f"{self._name(src)} (R5 local role)",
                )
