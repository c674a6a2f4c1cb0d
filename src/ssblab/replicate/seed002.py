"""Seed 002 (sputtered LLTO thin film): where its grain-boundary arc would lie, and its E_a.

Seed 002 (§3.1) concludes from impedance spectra that the LLTO films have "no grain boundary
resistance, since no additional semicircle is observed in Figure 1d,e"; the film annealed at
400 °C is crystalline with 10–15 nm grains (``s002-llto-400-grain-size``), the as-deposited and
300 °C films are amorphous. The spectra were taken between Ag blocking electrodes in an
Ag/LLTO/Ag sandwich (current across the 300–400 nm thickness, ``s002-llto-film-thickness``;
discs of ≈ 3–4 mm) "between 10 MHz and 100 kHz" (``s002-eis-frequency-range``). Paper values are
read from the knowledge base by record id. Rows:

1. **Where a GB arc would lie** (:func:`ssblab.micro.effective_medium.gb_arc_peak_frequency_hz`):
   f_gb = σ_gb/(2πε₀ε_gb), independent of grain size and film geometry in the brick-layer
   model. σ_gb (the specific GB conductivity) of LLTO follows from the ceramic bulk and total
   conductivities of seed 001 §1 (``s001-s1-llto-bulk-sigma`` 1e-3 S/cm,
   ``s001-s1-llto-total-sigma`` 1e-5 S/cm) by inverting the series brick layer,
   σ_gb = (δ/d_c)·σ_b·σ_t/(σ_b − σ_t), with the GB thickness δ and the ceramic grain size d_c
   below. Predicted.
2. **R_gb/R_bulk of the 400 °C film across its thickness** if its 10–15 nm grains were
   equiaxed and their GBs like ceramic LLTO's: (δ/d_f)(σ_b/σ_gb) = (d_c/d_f)(σ_b/σ_t − 1);
   δ cancels. Predicted; the columnar alternative is in the note.
3. **Bulk arc of the 300 °C film inside the printed window**: f = σ/(2πε₀ε_r) of the measured
   9.56e-6 S/cm (``s002-llto-300-sigma-rt``). Predicted.
4. **Arrhenius consistency** (:func:`ssblab.impedance.arrhenius.arrhenius_fit`): E_a from the
   two printed conductivities of the 300 °C film against the printed 0.33 eV
   (``s002-llto-300-ea``); the knowledge base holds the same inference as records
   ``s002-llto-300-ea-inferred-*``, recomputed here. A computed check.

Assumed inputs (none is printed in seed 002) with their sources:

* ``LLTO_GB_THICKNESS_M``: 0.8–1.2 nm, the "2–3 unit cells thick" Ti–O grain-boundary layer of
  LLTO (Ma et al., Energy Environ. Sci. 7 (2014) 1638) with the perovskite subcell ≈ 0.39 nm;
* ``CERAMIC_GRAIN_SIZE_M``: 1–5 µm, an ASSUMPTION for the sintered ceramics behind the seed-001
  bulk/total pair (seed 001 prints no grain size for them); the conclusions hold over the span;
* ``EPS_R_SPAN``: ε_r = 10–100 for LLTO grains and GBs alike. Irvine, Sinclair & West (Adv.
  Mater. 2 (1990) 132) place bulk capacitances at ~1e-12 F/cm (ε_r ≈ 11); 100 is a generous
  upper end for a titanate. ε_gb = ε_g is the brick-layer convention of Haile, West & Campbell
  (J. Mater. Res. 13 (1998) 1576).

Every row is "predicted" (``rows.KINDS`` has no third kind; no parameter is fitted on seed 002).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ssblab.knowledge import default_knowledge_base
from ssblab.knowledge.schema import Record
from ssblab.knowledge.store import value_in_si
from ssblab.micro import effective_medium as em
from ssblab.replicate.rows import EA_TOL_EV, Replication, Row, compare_energy
from ssblab.replicate.seed002_fullcell import bookkeeping_rows, fitted_parameters, model_rows
from ssblab.replicate.sensitivity import Assumed, sensitivity_band
from ssblab.units import to_si

SEED = "002"
TITLE = (
    "Tan, An, Li, Du, Peng: sputtered Li0.33La0.55TiO3 film with buffer layers on NCM532 "
    "(Nanomaterials 2021): grain-boundary arc, activation energy, thin-film full cells (rate, "
    "retention, current bookkeeping)"
)

#: Film diameter span, m: "approximately 3–4 mm" (seed 002 §2; kept as text in the KB record
#: s002-llto-film-thickness, conditions.other.film_diameter_as_printed).
FILM_DIAMETER_M = (3e-3, 4e-3)
#: GB thickness of LLTO, m: 2–3 perovskite subcells (≈ 0.39 nm) (Ma et al., Energy Environ. Sci.
#: 7 (2014) 1638).
LLTO_GB_THICKNESS_M = (0.8e-9, 1.2e-9)
#: Grain size of the ceramics behind the seed-001 LLTO bulk/total pair, m: ASSUMPTION.
CERAMIC_GRAIN_SIZE_M = (1e-6, 5e-6)
#: Relative permittivity of LLTO grains and GBs (Irvine, Sinclair & West 1990; see module doc).
EPS_R_SPAN = (10.0, 100.0)
#: Tolerance of the E_a row, eV: the printed E_a has two decimals; 0.01 eV is also the floor
#: ``arrhenius_fit`` uses to call a reported E_a consistent.
#: The window if "10 MHz" is a unit slip for 10 mHz (the KB note on s002-eis-frequency-range
#: allows a slip): 10 mHz–100 kHz, Hz.
ALT_WINDOW_HZ = (1e-2, 1e5)
#: A GB arc counts as visible when its peak lies inside the window (an arc spans ~2 decades,
#: so a peak a decade outside still shows a shoulder; the rows report the distance in decades).
DECADES_OUTSIDE_VISIBLE = 1.0

_S_M_TO_S_CM = 0.01


@lru_cache(maxsize=1)
def _records() -> dict[str, Record]:
    return {r.id: r for r in default_knowledge_base().records}


def _si(record_id: str, upper: bool = False) -> float:
    record = _records()[record_id]
    value = record.value_max if upper and record.value_max is not None else record.value
    return value_in_si(record, value)


def _span(record_id: str) -> tuple[float, float]:
    return _si(record_id), _si(record_id, upper=True)


def _temperature_K(record_id: str) -> float:
    return to_si(_records()[record_id].conditions.temperature, "K", "temperature")


def _mid(span: tuple[float, float], geometric: bool = False) -> float:
    return math.sqrt(span[0] * span[1]) if geometric else 0.5 * (span[0] + span[1])


@dataclass(frozen=True)
class LltoGB:
    """Ceramic LLTO bulk and total σ (S/m, seed 001 §1) and the GB assumptions (SI)."""

    sigma_bulk_s_per_m: float
    sigma_total_s_per_m: float

    def sigma_gb_s_per_m(self, gb_thickness_m: float, ceramic_grain_m: float) -> float:
        """Specific σ_gb from the series brick layer: (δ/d_c)·σ_b·σ_t/(σ_b − σ_t)."""
        b, t = self.sigma_bulk_s_per_m, self.sigma_total_s_per_m
        return gb_thickness_m / ceramic_grain_m * b * t / (b - t)

    def film_ratio(self, ceramic_grain_m: float, film_grain_m: float) -> float:
        """R_gb/R_bulk across a film of equiaxed grains d_f: (d_c/d_f)(σ_b/σ_t − 1)."""
        return (
            ceramic_grain_m
            / film_grain_m
            * (self.sigma_bulk_s_per_m / self.sigma_total_s_per_m - 1)
        )


def llto_gb() -> LltoGB:
    return LltoGB(
        sigma_bulk_s_per_m=_si("s001-s1-llto-bulk-sigma"),
        sigma_total_s_per_m=_si("s001-s1-llto-total-sigma"),
    )


def gb_peak_span_hz(gb: LltoGB) -> tuple[float, float]:
    """(lowest, highest) GB arc peak over the δ, d_c and ε_r spans (corners of the box)."""
    low = em.gb_arc_peak_frequency_hz(
        gb.sigma_gb_s_per_m(LLTO_GB_THICKNESS_M[0], CERAMIC_GRAIN_SIZE_M[1]), EPS_R_SPAN[1]
    )
    high = em.gb_arc_peak_frequency_hz(
        gb.sigma_gb_s_per_m(LLTO_GB_THICKNESS_M[1], CERAMIC_GRAIN_SIZE_M[0]), EPS_R_SPAN[0]
    )
    return low, high


def film_arcs(gb: LltoGB) -> em.BrickLayerArcs:
    """Series brick-layer R, C of the 400 °C film at the central inputs (mid film geometry,
    δ = 1 nm, geometric-mean d_c and ε_r), current across the thickness."""
    thickness = _mid(_span("s002-llto-film-thickness"))
    diameter = _mid(FILM_DIAMETER_M)
    delta = _mid(LLTO_GB_THICKNESS_M)
    d_c = _mid(CERAMIC_GRAIN_SIZE_M, geometric=True)
    eps = _mid(EPS_R_SPAN, geometric=True)
    return em.brick_layer_arcs(
        sigma_grain_s_per_m=gb.sigma_bulk_s_per_m,
        eps_r_grain=eps,
        sigma_gb_s_per_m=gb.sigma_gb_s_per_m(delta, d_c),
        eps_r_gb=eps,
        grain_size_m=_mid(_span("s002-llto-400-grain-size")),
        gb_thickness_m=delta,
        length_m=thickness,
        area_m2=math.pi * diameter**2 / 4.0,
    )


def _decades_below(f: float, f_min: float) -> float:
    return math.log10(f_min / f)


def _assumed() -> tuple[Assumed, ...]:
    """The values the GB rows take inside cited ranges or assume (their band varies them)."""
    return (
        Assumed("gb_thickness_m", _mid(LLTO_GB_THICKNESS_M), "m",
                "centre of the 0.8–1.2 nm range (Ma et al. 2014)"),
        Assumed("ceramic_grain_m", _mid(CERAMIC_GRAIN_SIZE_M, geometric=True), "m",
                "assumption: the seed-001 ceramic's grain size is not printed"),
        Assumed("eps_r", _mid(EPS_R_SPAN, geometric=True), "",
                "geometric centre of the 10–100 range (Irvine, Sinclair & West 1990)"),
    )  # fmt: skip


def _value(o: dict, a: Assumed) -> float:
    return o.get(a.name, a.value)


def _gb_rows(progress) -> tuple[list[Row], list[str]]:
    progress("seed 002: where the grain-boundary arc of the LLTO film would lie")
    gb = llto_gb()
    f_min, f_max = _span("s002-eis-frequency-range")
    f_lo, f_hi = gb_peak_span_hz(gb)
    delta_mid = _mid(LLTO_GB_THICKNESS_M)
    d_c_mid = _mid(CERAMIC_GRAIN_SIZE_M, geometric=True)
    eps_mid = _mid(EPS_R_SPAN, geometric=True)
    sigma_gb_mid = gb.sigma_gb_s_per_m(delta_mid, d_c_mid)
    f_mid = em.gb_arc_peak_frequency_hz(sigma_gb_mid, eps_mid)
    visible = _decades_below(f_hi, f_min) < DECADES_OUTSIDE_VISIBLE
    alt_inside = ALT_WINDOW_HZ[0] <= f_lo and f_hi <= ALT_WINDOW_HZ[1]
    # σ_gb whose arc would peak at the window's lower edge (ε_r at the low end: most favourable)
    sigma_needed = 2 * math.pi * em.EPSILON_0_F_PER_M * EPS_R_SPAN[0] * f_min
    grains = _span("s002-llto-400-grain-size")
    ratio_lo = gb.film_ratio(CERAMIC_GRAIN_SIZE_M[0], grains[1])
    ratio_hi = gb.film_ratio(CERAMIC_GRAIN_SIZE_M[1], grains[0])
    arcs = film_arcs(gb)
    ratio_mid = arcs.gb_to_bulk_resistance
    z_edges = [
        em.brick_layer_impedance(
            f,
            sigma_grain_s_per_m=gb.sigma_bulk_s_per_m,
            eps_r_grain=eps_mid,
            sigma_gb_s_per_m=sigma_gb_mid,
            eps_r_gb=eps_mid,
            grain_size_m=_mid(grains),
            gb_thickness_m=delta_mid,
            length_m=_mid(_span("s002-llto-film-thickness")),
            area_m2=math.pi * _mid(FILM_DIAMETER_M) ** 2 / 4.0,
        )
        for f in (f_min, f_max)
    ]
    phases = [math.degrees(math.atan2(z.imag, z.real)) for z in z_edges]
    f_bulk_lo = em.bulk_arc_peak_frequency_hz(gb.sigma_bulk_s_per_m, EPS_R_SPAN[1])
    f_bulk_hi = em.bulk_arc_peak_frequency_hz(gb.sigma_bulk_s_per_m, EPS_R_SPAN[0])
    window = f"{f_min / 1e3:g} kHz–{f_max / 1e6:g} MHz"
    delta_a, d_c_a, eps_a = _assumed()

    def peak(o):
        sigma = gb.sigma_gb_s_per_m(_value(o, delta_a), _value(o, d_c_a))
        return em.gb_arc_peak_frequency_hz(sigma, _value(o, eps_a))

    def hidden(f):
        return (
            "reproduced"
            if _decades_below(f, f_min) >= DECADES_OUTSIDE_VISIBLE
            else ("not reproduced")
        )

    peak_band = sensitivity_band(peak, (delta_a, d_c_a, eps_a), hidden)
    ratio_band = sensitivity_band(
        lambda o: gb.film_ratio(_value(o, d_c_a), _mid(grains)), (d_c_a,),
        lambda r: "reproduced" if r < 0.1 else "not reproduced",
    )  # fmt: skip
    rows = [
        Row(
            quantity=(
                "GB arc peak of the 400 °C LLTO film (10–15 nm grains, GBs like ceramic LLTO): "
                "inside the printed window?"
            ),
            paper=f"no GB semicircle in {window}",
            ssblab=f_mid,
            unit="Hz",
            basis="predicted",
            status="reproduced" if not visible else "not reproduced",
            band=peak_band,
            note=(
                f"s002-eis-frequency-range ({window}, printed '10 MHz and 100 kHz'); "
                f"f_gb = σ_gb/(2πε₀ε_gb) = {f_lo:.2g}–{f_hi:.2g} Hz over δ = "
                f"{LLTO_GB_THICKNESS_M[0] * 1e9:g}–{LLTO_GB_THICKNESS_M[1] * 1e9:g} nm, d_c = "
                f"{CERAMIC_GRAIN_SIZE_M[0] * 1e6:g}–{CERAMIC_GRAIN_SIZE_M[1] * 1e6:g} µm, ε_r = "
                f"{EPS_R_SPAN[0]:g}–{EPS_R_SPAN[1]:g} (central {f_mid:.2g} Hz with σ_gb = "
                f"{sigma_gb_mid * _S_M_TO_S_CM:.2g} S/cm from s001-s1-llto-bulk-sigma and "
                f"-total-sigma); ≥ {_decades_below(f_hi, f_min):.1f} decades below the "
                "window's lower edge, so the window could not show the arc whatever the grain "
                "size: the absence of a semicircle says nothing about R_gb. A GB arc would "
                f"peak inside only for σ_gb ≥ {sigma_needed * _S_M_TO_S_CM:.2g} S/cm (ε_r "
                f"{EPS_R_SPAN[0]:g}). With the window read as 10 mHz–100 kHz (a unit slip the "
                f"KB record allows) the arc would be {'inside' if alt_inside else 'outside'} it. "
                "The crystalline grains' own "
                f"bulk arc (σ_b 1e-3 S/cm) peaks at {f_bulk_lo:.2g}–{f_bulk_hi:.2g} Hz, above "
                "it. The text cites Fig. 1d,e (as-deposited and 300 °C films, amorphous by "
                "XRD) for the missing arc; the 10–15 nm grains are the 400 °C film's (Fig. 1f). "
                + peak_band.describe("Hz")
            ),
        ),
        Row(
            quantity=(
                "R_gb/R_bulk across the 400 °C film, equiaxed 10–15 nm grains with ceramic-LLTO "
                "GBs (brick layer)"
            ),
            paper="no grain boundary resistance",
            ssblab=ratio_mid,
            unit="",
            basis="predicted",
            status="reproduced" if ratio_hi < 0.1 else "not reproduced",
            band=ratio_band,
            note=(
                "s002-llto-400-grain-size, s002-llto-film-thickness; R_gb/R_b = (δ/d_f)"
                f"(σ_b/σ_gb) = (d_c/d_f)(σ_b/σ_t − 1) = {ratio_lo:.2g}–{ratio_hi:.2g} (δ cancels; "
                f"d_c {CERAMIC_GRAIN_SIZE_M[0] * 1e6:g}–{CERAMIC_GRAIN_SIZE_M[1] * 1e6:g} µm "
                f"assumed). Central film (350 nm, Ø 3.5 mm): R_b = {arcs.r_bulk_ohm:.2g} Ω, "
                f"R_gb = {arcs.r_gb_ohm:.2g} Ω, C_gb = {arcs.c_gb_f:.2g} F; inside the window "
                f"the film would look like a capacitor (phase {phases[0]:.0f}° at "
                f"{f_min:.3g} Hz, {phases[1]:.0f}° at {f_max:.3g} Hz), easily read as the "
                "blocking-electrode line. The claim holds only if the film's GBs are far less "
                "resistive than ceramic LLTO's, or if its grains are columns spanning the "
                "thickness (plan-view SEM gives 10–15 nm; the sandwich measures across the "
                "thickness, where columns put no GB in series: R_gb → 0, while in-plane "
                "transport would meet the full ratio). The data cannot tell these apart. "
                + ratio_band.describe()
            ),
        ),
    ]
    notes = [
        "GB inputs: LLTO bulk 1e-3 and total 1e-5 S/cm (seed 001 §1, s001-s1-llto-bulk-sigma, "
        "s001-s1-llto-total-sigma), δ 0.8–1.2 nm (Ma et al., Energy Environ. Sci. 7 (2014) 1638), "
        "ceramic grain size 1–5 µm (assumption), ε_r 10–100 for grains and GBs (Irvine, "
        "Sinclair & West, Adv. Mater. 2 (1990) 132); brick-layer peak and ratio formulas of "
        "ssblab.micro.effective_medium",
    ]
    return rows, notes


def _bulk_arc_row(progress) -> tuple[list[Row], list[str]]:
    progress("seed 002: bulk arc of the 300 °C film in the printed window")
    sigma_id = "s002-llto-300-sigma-rt"
    sigma = _si(sigma_id)
    f_min, f_max = _span("s002-eis-frequency-range")
    f_lo = em.relaxation_frequency_hz(sigma, EPS_R_SPAN[1])
    f_hi = em.relaxation_frequency_hz(sigma, EPS_R_SPAN[0])
    f_mid = em.relaxation_frequency_hz(sigma, _mid(EPS_R_SPAN, geometric=True))
    inside = f_min <= f_lo and f_hi <= f_max
    thickness = _span("s002-llto-film-thickness")
    areas = [math.pi * d**2 / 4.0 for d in FILM_DIAMETER_M]
    r_lo = thickness[0] / (sigma * areas[1])
    r_hi = thickness[1] / (sigma * areas[0])
    eps_max = sigma / (2 * math.pi * em.EPSILON_0_F_PER_M * f_min)
    eps_a = _assumed()[2]
    band = sensitivity_band(
        lambda o: em.relaxation_frequency_hz(sigma, _value(o, eps_a)), (eps_a,),
        lambda f: "reproduced" if f_min <= f <= f_max else "not reproduced",
    )  # fmt: skip
    row = Row(
        quantity="Bulk arc peak of the 300 °C LLTO film (σ = 9.56e-6 S/cm) inside the window",
        paper=f"arc fitted in {f_min / 1e3:g} kHz–{f_max / 1e6:g} MHz",
        ssblab=f_mid,
        unit="Hz",
        basis="predicted",
        status="reproduced" if inside else "not reproduced",
        band=band,
        note=(
            f"{sigma_id}, s002-eis-frequency-range; f = σ/(2πε₀ε_r) = {f_lo:.2g}–{f_hi:.2g} Hz "
            f"for ε_r {EPS_R_SPAN[1]:g}–{EPS_R_SPAN[0]:g} "
            f"({'inside' if inside else 'not all inside'} the window; inside for any ε_r ≤ "
            f"{eps_max:.0f}). The film's resistance "
            f"L/(σA) = {r_lo:.2g}–{r_hi:.2g} Ω for 300–400 nm and Ø 3–4 mm: small enough "
            "that lead and Ag-film resistances matter. " + band.describe("Hz")
        ),
    )
    return [row], []


def _arrhenius_row(progress) -> tuple[list[Row], list[str]]:
    from ssblab.impedance.arrhenius import arrhenius_fit

    progress("seed 002: activation energy from the two printed conductivities")
    lo_id, hi_id, ea_id = "s002-llto-300-sigma-rt", "s002-llto-300-sigma-120c", "s002-llto-300-ea"
    temperatures = [_temperature_K(lo_id), _temperature_K(hi_id)]
    sigmas = [_si(lo_id), _si(hi_id)]
    printed = _records()[ea_id].value  # eV
    with_t = arrhenius_fit(
        temperatures, sigmas, model="sigmaT", reported_activation_energy_eV=printed
    )
    plain = arrhenius_fit(
        temperatures, sigmas, model="sigma", reported_activation_energy_eV=printed
    )
    kb_t = _records()["s002-llto-300-ea-inferred-sigmat"].value
    kb_plain = _records()["s002-llto-300-ea-inferred-sigma"].value
    k_b = 8.617333262e-5  # eV/K (CODATA 2018)
    predicted_120 = (
        sigmas[0]
        * temperatures[0]
        / temperatures[1]
        * math.exp(-printed / k_b * (1 / temperatures[1] - 1 / temperatures[0]))
    )
    row = Row(
        quantity="E_a of the 300 °C LLTO film from its two printed σ (25 and 120 °C, σT form)",
        paper=printed,
        ssblab=with_t.activation_energy_eV,
        unit="eV",
        basis="computed",
        status=compare_energy(printed, with_t.activation_energy_eV),
        note=(
            f"{ea_id} against {lo_id} and {hi_id} (RT read as 25 °C); computed check: σ form "
            f"gives {plain.activation_energy_eV:.3f} eV; the KB's inferred records say "
            f"{kb_t:g} (σT) and {kb_plain:g} (σ). Conversely 0.33 eV with σ(25 °C) predicts "
            f"σ(120 °C) = {predicted_120 * _S_M_TO_S_CM:.2g} S/cm (σT form) against the printed "
            f"{sigmas[1] * _S_M_TO_S_CM:.3g}. Tolerance {EA_TOL_EV:g} eV (two printed decimals); "
            "a fit over all six temperatures of Fig. 1g may differ from two points"
        ),
    )
    return [row], []


#: Row groups in table order; each takes ``progress`` and returns (rows, notes).
ROW_BUILDERS = [_gb_rows, _bulk_arc_row, _arrhenius_row, model_rows, bookkeeping_rows]


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """All seed-002 rows (``ROW_BUILDERS`` in order)."""
    say = progress or (lambda _message: None)
    rows: list[Row] = []
    notes: list[str] = []
    for build in ROW_BUILDERS:
        more_rows, more_notes = build(say)
        rows.extend(more_rows)
        notes.extend(more_notes)
    return Replication(
        seed=SEED,
        title=TITLE,
        rows=tuple(rows),
        notes=tuple(notes),
        fitted_parameters=tuple(fitted_parameters()),
    )
