"""Fleig & Maier (J. Eur. Ceram. Soc. 19 (1999) 693) studies: partially conducting GBs in
the ``"pore"`` and ``"blocked"`` pictures (:class:`PatchyGBNetwork`,
:func:`patchy_gb_network`, :func:`fleig_maier_contact_study`) and a fraction of highly
resistive GBs (:func:`fleig_maier_resistive_fraction_study`). The pictures:
:mod:`ssblab.micro.studies`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro.build import GB, GRAIN, Materials, build_network
from ssblab.micro.network import EPSILON_0_F_PER_M, Phase, TransportNetwork
from ssblab.micro.structure import Polycrystal, constriction_factor
from ssblab.micro.studies.cases import (
    CaseResult,
    _crystal,
    _gb_edges,
    _with_gb_phases,
    evaluate_network,
)
from ssblab.micro.studies.reading import FREQUENCY_HZ, llzto_materials

# --------------------------------------------------------------------------------------------
# Fleig & Maier (1): partially conducting GBs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatchyGBNetwork(TransportNetwork):
    """A network whose GB edges carry a conducting patch in parallel with a blocked part.

    Edge e in ``patch_edges`` is grain half i, then [patch ‖ blocked], then grain half j: its
    three segments (as in every network) are the *patch* [grain constriction, GB f·A/δ, grain
    constriction]; ``half_factor_m`` (k, 2) are the grain halves A/h_i, A/h_j and
    ``blocked_factor_m`` (k,) the blocked part (1 − f)·A/δ in phase ``blocked_phase``.
    Without face nodes the matrix is that of an ordinary grain network (the AMG-BiCGSTAB path
    of :func:`ssblab.micro.solve.solve_ac` converges; with two face nodes per GB joined by
    the thin GB it did not at 1 GHz)."""

    patch_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    half_factor_m: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    blocked_factor_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    blocked_phase: int = -1

    def _combine(self, patch: np.ndarray, y_grain, y_blocked) -> np.ndarray:
        out = patch.copy()
        e = self.patch_edges
        middle = patch[e] + y_blocked * self.blocked_factor_m
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (
                1.0 / (y_grain * self.half_factor_m[:, 0])
                + 1.0 / (y_grain * self.half_factor_m[:, 1])
                + np.where(middle != 0, 1.0 / np.where(middle != 0, middle, 1.0), np.inf)
            )
            out[e] = np.where(np.isfinite(r), 1.0 / r, 0.0)
        return out

    def edge_conductance(self, sigma_per_phase_s_per_m) -> np.ndarray:
        sigma = np.asarray(sigma_per_phase_s_per_m, dtype=float)
        patch = super().edge_conductance(sigma)
        return self._combine(patch, sigma[GRAIN], sigma[self.blocked_phase])

    def edge_admittance(self, sigma_per_phase_s_per_m, omega_rad_s: float) -> np.ndarray:
        sigma = np.asarray(sigma_per_phase_s_per_m, dtype=float)
        patch = super().edge_admittance(sigma, omega_rad_s)
        eps = np.array([p.relative_permittivity for p in self.phases]) * EPSILON_0_F_PER_M
        y = sigma + 1j * omega_rad_s * eps
        return self._combine(patch, y[GRAIN], y[self.blocked_phase])


def patchy_gb_network(
    crystal: Polycrystal, materials: Materials, contact: float
) -> PatchyGBNetwork:
    """The ``"blocked"`` picture of :func:`fleig_maier_contact_study`: a fraction ``contact``
    of each GB face conducts, the rest keeps ε_gb with σ = 0 (package docstring). The crystal's
    own ``neck_fraction`` must be 1."""
    if not 0 < contact <= 1:
        raise MicrostructureError("contact must be in (0, 1]")
    if np.any(crystal.face_neck != 1):
        raise MicrostructureError("patchy_gb_network: build the crystal with neck_fraction = 1")
    base = build_network(crystal, materials, gb_network=False)
    t = crystal.tessellation
    solid = ~crystal.is_pore
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    interior = (j >= 0) & solid[i] & solid[np.maximum(j, 0)]
    fi = np.flatnonzero(interior)
    edges = _gb_edges(base)
    if edges.size != fi.size:
        raise MicrostructureError("patchy_gb_network: unexpected network layout")
    area, h = t.face_area[fi], t.face_h[fi]
    total = h[:, 0] + h[:, 1]
    hi = np.clip(h[:, 0], 0.05 * total, 0.95 * total)  # as build_network
    halves = np.column_stack([area / hi, area / (total - hi)])
    delta = materials.gb_thickness_m
    blocked = Phase(
        "blocked GB",
        sigma_ion_s_per_m=0.0,
        sigma_e_s_per_m=0.0,
        relative_permittivity=materials.gb.relative_permittivity,
    )
    phase = base.segment_phase.copy()
    factor = base.segment_factor_m.copy()
    phase[edges] = -1
    factor[edges] = 0.0
    if contact < 1:
        c = constriction_factor(area, np.full(fi.size, contact), crystal.dimension)
        phase[edges] = [GRAIN, GB, GRAIN]
        factor[edges] = np.column_stack([1 / c, contact * area / delta, 1 / c])
    else:
        phase[edges, 0] = GB
        factor[edges, 0] = area / delta
    fields = {name: getattr(base, name) for name in base.__dataclass_fields__}
    fields.update(segment_phase=phase, segment_factor_m=factor, phases=(*base.phases, blocked))
    return PatchyGBNetwork(
        **fields,
        patch_edges=edges,
        half_factor_m=halves,
        blocked_factor_m=(1 - contact) * area / delta,
        blocked_phase=len(base.phases),
    )


def fleig_maier_contact_study(
    contacts: Sequence[float] = (1.0, 0.5, 0.2, 0.1),
    *,
    pictures: Sequence[str] = ("pore", "blocked"),
    n_grains: int = 1000,
    dimension: int = 3,
    seed: int = 0,
    bulk_factor: float = 10.0,
    gb_to_bulk: float = 1.0,
    auto: bool = True,
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """GBs of which only a fraction f conducts, in the ``"pore"`` and ``"blocked"`` pictures
    (package docstring). Each case is also solved with σ_g × ``bulk_factor``; ``extra`` holds
    the GB arc's response to the bulk, s = d ln R_gb / d ln σ_g (0: the GB arc is a GB
    property; −1: it is bulk resistance), and the auto circuit's arc count. The truth is the
    GB material's σ_gb (the conducting part's); ``gb_to_bulk`` as in :func:`llzto_materials`."""
    materials = llzto_materials(gb_to_bulk=gb_to_bulk)
    fast = replace(
        materials,
        grain=replace(
            materials.grain, sigma_ion_s_per_m=materials.grain.sigma_ion_s_per_m * bulk_factor
        ),
    )
    rows = []
    for picture in pictures:
        if picture not in ("pore", "blocked"):
            raise MicrostructureError("pictures: 'pore' or 'blocked'")
        for f in contacts:
            neck = f if picture == "pore" else 1.0
            crystal = _crystal(n_grains, dimension=dimension, neck_fraction=neck, seed=seed)

            def net(m, crystal=crystal, picture=picture, f=f):
                if picture == "pore":
                    return build_network(crystal, m, gb_network=False)
                return patchy_gb_network(crystal, m, f)

            row = evaluate_network(
                net(materials),
                crystal,
                materials,
                study="fleig-maier-contact",
                case=f"{picture} f={f:g}",
                seed=seed,
                auto=auto,
                frequency_hz=frequency_hz,
            )
            fast_reading = evaluate_network(
                net(fast),
                crystal,
                fast,
                study="fleig-maier-contact",
                case=f"{picture} f={f:g} fast bulk",
                seed=seed,
                frequency_hz=frequency_hz,
            ).reading
            slope = np.log(fast_reading.gb.resistance_ohm / row.reading.gb.resistance_ohm) / (
                np.log(bulk_factor)
            )
            rows.append(
                replace(
                    row,
                    extra={
                        "picture": picture,
                        "contact": f,
                        "gb_to_bulk": gb_to_bulk,
                        "gb_bulk_slope": float(slope),
                        "auto_arcs": row.reading.auto_arcs,
                    },
                )
            )
    return tuple(rows)


# --------------------------------------------------------------------------------------------
# Fleig & Maier (2): a fraction of highly resistive GBs
# --------------------------------------------------------------------------------------------


def fleig_maier_resistive_fraction_study(
    fractions: Sequence[float] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5),
    *,
    contrast: float = 100.0,
    n_grains: int = 1000,
    dimension: int = 3,
    seed: int = 0,
    auto: bool = True,
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """A random fraction x of the GB faces (seeded) has σ_gb/``contrast`` (same ε_gb). The
    truth ``sigma_gb_true`` is the arithmetic mean over the faces; ``extra`` holds the normal
    σ_gb, the harmonic mean (what a series BLM of the GB population predicts) and the ratio
    of the fitted R_gb to the BLM series value (R_gb at x = 0 times the harmonic weight)."""
    materials = llzto_materials()
    crystal = _crystal(n_grains, dimension=dimension, seed=seed)
    network = build_network(crystal, materials, gb_network=False)
    gb_edges = _gb_edges(network)
    rng = np.random.default_rng([seed, 104729])
    order = rng.permutation(gb_edges.size)
    sgb = materials.gb.sigma_ion_s_per_m
    resistive = replace(materials.gb, name="resistive GB", sigma_ion_s_per_m=sgb / contrast)
    rows = []
    r_gb_reference = None
    for x in fractions:
        which = np.zeros(gb_edges.size, dtype=np.int64)
        which[order[: round(x * gb_edges.size)]] = 1
        net = _with_gb_phases(network, gb_edges, (materials.gb, resistive), which)
        share = float(which.mean())
        arithmetic = sgb * ((1 - share) + share / contrast)
        harmonic = sgb / ((1 - share) + share * contrast)
        row = evaluate_network(
            net,
            crystal,
            materials,
            study="fleig-maier-resistive",
            case=f"x={x:g}",
            seed=seed,
            sigma_gb_true=arithmetic,
            auto=auto,
            frequency_hz=frequency_hz,
        )
        if r_gb_reference is None and share == 0:
            r_gb_reference = row.reading.gb.resistance_ohm
        series = None if r_gb_reference is None else r_gb_reference * sgb / harmonic
        rows.append(
            replace(
                row,
                extra={
                    "fraction": share,
                    "contrast": contrast,
                    "sigma_gb_normal": sgb,
                    "sigma_gb_harmonic": harmonic,
                    "r_gb_over_series_blm": (
                        None if series is None else row.reading.gb.resistance_ohm / series
                    ),
                    "auto_arcs": row.reading.auto_arcs,
                },
            )
        )
    return tuple(rows)
