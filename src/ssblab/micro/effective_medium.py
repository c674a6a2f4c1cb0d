"""Closed forms for the conductivity of polycrystalline and porous electrolytes.

Pure NumPy functions on floats or arrays (they broadcast), SI units throughout: conductivities
σ in S/m, lengths in m, frequencies in Hz, relative permittivities ε_r dimensionless. A scalar
input gives a Python float (or complex); an array input gives an array.

Geometry and notation
---------------------
Grains of edge (or diameter) ``d`` are separated by grain boundaries (GBs) of total thickness
``δ`` (each grain carries a shell of δ/2, two neighbouring shells make one GB). σ_g, σ_gb are the
*specific* conductivities of the grain interior and of the GB material (σ_gb,sp of Haile, West &
Campbell, J. Mater. Res. 13 (1998) 1576), not the "apparent" GB conductivity L/(R_gb·A).

* **Brick-layer model** (BLM; van Dijk & Burggraaf, Phys. Status Solidi A 63 (1981) 229; Haile,
  West & Campbell 1998; Fleig & Maier, J. Eur. Ceram. Soc. 19 (1999) 693): cubic grains on a
  simple-cubic lattice, field along a cube axis. :func:`brick_layer_sigma`,
  :func:`brick_layer_impedance`, :func:`brick_layer_arcs`.
* **Nested cubes** (Kidner, Homrighaus, Ingram, Mason & Garboczi, J. Electroceram. 14 (2005)
  283): the same cell resolved in 3-D. Kidner et al. solve it numerically (pixel finite
  differences) and print no closed form for it; the two closed forms here
  (:func:`nested_cube_sigma`) are the rigorous cut bounds of that cell, *derived here*.
* **Coated spheres / Maxwell–Wagner** (Maxwell-Garnett form; the coated-sphere assemblage of
  Hashin & Shtrikman, J. Appl. Phys. 33 (1962) 3125): :func:`coated_sphere_sigma`. Kidner et al.
  (2005, abstract) report that the nested-cube model agrees closely with Maxwell–Wagner
  effective-medium theory.
* **Hashin–Shtrikman bounds** (Hashin & Shtrikman, J. Appl. Phys. 33 (1962) 3125):
  :func:`hashin_shtrikman_bounds`.
* **Porosity**: symmetric Bruggeman EMA (Bruggeman, Ann. Phys. 416 (1935) 636),
  :func:`bruggeman_sigma`, :func:`bruggeman_porous_sigma`; differential EMA (Archie-type,
  Sen, Scala & Cohen, Geophysics 46 (1981) 781), :func:`differential_porous_sigma`.

AC versions: every conductivity formula here is a rational function of the phase
conductivities, so it holds for complex conductivities σ* = σ + jωε₀ε_r (quasi-static
Maxwell–Wagner treatment: each phase a leaky dielectric). :func:`complex_conductivity` builds
σ*; the functions marked "complex accepted" take it directly.

Bad input raises :class:`~ssblab.errors.MicrostructureError` naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.errors import MicrostructureError

#: Vacuum permittivity, F/m (CODATA 2018).
EPSILON_0_F_PER_M = 8.8541878128e-12
#: Porosity at which the symmetric 3-D Bruggeman EMA with insulating pores stops conducting
#: (σ = σ_s(1 − 3p/2); Kirkpatrick, Rev. Mod. Phys. 45 (1973) 574 for the EMA threshold 1/3 of
#: the conducting fraction).
BRUGGEMAN_POROSITY_THRESHOLD = 2.0 / 3.0

BRICK_LAYER_VARIANTS = {
    False: "series",  # 1/σ = 1/σ_g + (δ/d)/σ_gb
    True: "series_parallel",  # exact cube of edge d + δ: grain column in series + GB walls
}
NESTED_CUBE_CUTS = ("series_parallel", "parallel_series")


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------


def _out(value):
    """A 0-d result as a Python scalar, anything else as an array."""
    array = np.asarray(value)
    return array.item() if array.ndim == 0 else array


def _conductivity(value, name: str, *, allow_complex: bool = False) -> np.ndarray:
    """σ ≥ 0 and finite (complex: Re σ ≥ 0, Im σ ≥ 0, both finite)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise MicrostructureError(f"{name} must be a number or an array of numbers") from None
    if array.dtype.kind == "c":
        if not allow_complex:
            raise MicrostructureError(f"{name} must be real here (complex σ is not accepted)")
        if not np.all(np.isfinite(array)) or np.any(array.real < 0) or np.any(array.imag < 0):
            raise MicrostructureError(f"{name} must have finite Re >= 0 and Im >= 0 (S/m)")
        return array.astype(complex)
    if array.dtype.kind not in "biuf":
        raise MicrostructureError(f"{name} must be a number or an array of numbers")
    array = array.astype(float)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise MicrostructureError(f"{name} must be finite and >= 0 S/m")
    return array


def _real(value, name: str, unit: str, *, low: float, low_open: bool, high: float | None = None):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise MicrostructureError(f"{name} must be a real number or an array of them") from None
    bad = ~np.isfinite(array) | ((array <= low) if low_open else (array < low))
    if high is not None:
        bad |= array > high
    if np.any(bad):
        bound = f"> {low:g}" if low_open else f">= {low:g}"
        span = f"in [{low:g}, {high:g}]" if high is not None else bound
        raise MicrostructureError(f"{name} must be finite and {span}{unit}")
    return array


def _length(value, name: str, *, zero_ok: bool = False) -> np.ndarray:
    return _real(value, name, " m", low=0.0, low_open=not zero_ok)


def _fraction(value, name: str) -> np.ndarray:
    return _real(value, name, "", low=0.0, low_open=False, high=1.0)


def _permittivity(value, name: str) -> np.ndarray:
    return _real(value, name, "", low=0.0, low_open=True)


def _frequency(value, name: str = "frequency_hz", *, zero_ok: bool = True) -> np.ndarray:
    return _real(value, name, " Hz", low=0.0, low_open=not zero_ok)


def _series_conductance(l1, s1, l2, s2):
    """Conductance per unit area (S/m²) of two slabs in series: 1/(l1/s1 + l2/s2).

    Written as s1·s2/(s2·l1 + s1·l2) so that a zero conductivity gives an open circuit and a
    zero length a missing slab, without dividing by zero.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # unused branches
        den = s2 * l1 + s1 * l2
        out = np.where(den == 0, 0.0, s1 * s2 / np.where(den == 0, 1.0, den))
        only_2 = np.where(l2 == 0, 0.0, s2 / np.where(l2 == 0, 1.0, l2))
        only_1 = np.where(l1 == 0, 0.0, s1 / np.where(l1 == 0, 1.0, l1))
        out = np.where(l1 == 0, only_2, np.where(l2 == 0, only_1, out))
    return out


# --------------------------------------------------------------------------------------------
# complex conductivity, relaxation frequencies
# --------------------------------------------------------------------------------------------


def complex_conductivity(sigma_s_per_m, eps_r, frequency_hz):
    """σ*(ω) = σ + jωε₀ε_r (S/m), ω = 2πf: a leaky dielectric (conduction + displacement).

    Used for the quasi-static AC versions of every closed form in this module (Maxwell–Wagner
    treatment; e.g. Kidner et al., J. Electroceram. 14 (2005) 283). Valid while the sample is
    much smaller than the wavelength (any laboratory sample below ~1 GHz).
    """
    sigma = _conductivity(sigma_s_per_m, "sigma_s_per_m")
    eps = _permittivity(eps_r, "eps_r")
    f = _frequency(frequency_hz)
    return _out(sigma + 2j * np.pi * f * EPSILON_0_F_PER_M * eps)


def relaxation_frequency_hz(sigma_s_per_m, eps_r):
    """Dielectric relaxation frequency f = σ/(2π ε₀ ε_r) of a homogeneous leaky dielectric (Hz).

    The peak of −Z'' of a slab of the material between blocking electrodes: R = L/(σA),
    C = ε₀ε_r A/L, so τ = RC = ε₀ε_r/σ whatever L and A.
    """
    sigma = _conductivity(sigma_s_per_m, "sigma_s_per_m")
    eps = _permittivity(eps_r, "eps_r")
    return _out(sigma / (2.0 * np.pi * EPSILON_0_F_PER_M * eps))


def gb_arc_peak_frequency_hz(sigma_gb_s_per_m, eps_r_gb):
    """Peak frequency of the grain-boundary arc in the series brick-layer model (Hz).

    f_gb = σ_gb/(2π ε₀ ε_gb), σ_gb the *specific* GB conductivity. Geometry-independent: all GBs
    crossed by the current form one layer of total thickness (δ/d)·L between the electrodes,
    and the resistance R_gb = (δ/d)L/(σ_gb A) and the capacitance C_gb = ε₀ε_gb A/((δ/d)L) of a
    layer carry the same geometric factor inversely, so τ_gb = R_gb·C_gb = ε₀ε_gb/σ_gb (Haile,
    West & Campbell, J. Mater. Res. 13 (1998) 1576; Fleig & Maier, J. Eur. Ceram. Soc. 19 (1999)
    693). Grain size, GB thickness and sample size move the arc's *diameter*, never its peak.
    """
    return relaxation_frequency_hz(
        _conductivity(sigma_gb_s_per_m, "sigma_gb_s_per_m"),
        _permittivity(eps_r_gb, "eps_r_gb"),
    )


def bulk_arc_peak_frequency_hz(sigma_grain_s_per_m, eps_r_grain):
    """Peak frequency of the bulk (grain-interior) arc, σ_g/(2π ε₀ ε_g) (Hz); geometry-independent
    for the same reason as :func:`gb_arc_peak_frequency_hz`."""
    return relaxation_frequency_hz(
        _conductivity(sigma_grain_s_per_m, "sigma_grain_s_per_m"),
        _permittivity(eps_r_grain, "eps_r_grain"),
    )


# --------------------------------------------------------------------------------------------
# brick-layer model
# --------------------------------------------------------------------------------------------


def grain_volume_fraction(grain_size_m, gb_thickness_m):
    """Volume fraction of grain interior, φ_g = (d/(d + δ))³ (cube of edge d in a cell of edge
    d + δ; the same for a sphere of diameter d in a shell of thickness δ/2)."""
    d = _length(grain_size_m, "grain_size_m")
    delta = _length(gb_thickness_m, "gb_thickness_m", zero_ok=True)
    return _out((d / (d + delta)) ** 3)


def brick_layer_sigma(
    sigma_grain_s_per_m,
    sigma_gb_s_per_m,
    grain_size_m,
    gb_thickness_m,
    *,
    parallel_paths: bool = True,
):
    """Total (DC) conductivity of the brick-layer model, S/m. Complex σ accepted.

    Geometry: cubic grains of edge d on a simple-cubic lattice, GBs of total thickness δ
    between neighbours, field along a cube axis.

    ``parallel_paths=False`` — variant ``"series"``, the classical thin-GB series BLM::

        1/σ = 1/σ_g + (δ/d)/σ_gb

    (van Dijk & Burggraaf 1981; Haile, West & Campbell 1998, their Eq. for σ_gb,sp). Each
    grain of length d is followed by one GB of thickness δ; the GBs parallel to the field are
    ignored and the GB volume is not subtracted from the grains (first order in δ/d). With
    σ_gb = σ_g it gives σ_g/(1 + δ/d), not exactly σ_g.

    ``parallel_paths=True`` (default) — variant ``"series_parallel"``, the exact-cube shell
    form: a cubic cell of edge D = d + δ holds a grain cube of edge d and a GB shell (δ/2 on
    each face). The cell is cut into the grain column (cross-section d², grain d in series with
    GB δ) and the GB walls parallel to the field (cross-section D² − d²)::

        σ = (1/D)·[ d²/(d/σ_g + δ/σ_gb) + σ_gb (D² − d²)/D ]

    Exact limits: δ → 0 gives σ_g; σ_gb = σ_g gives σ_g exactly; σ_gb = 0 gives 0 (every grain
    is enclosed). To first order in δ/d it is σ_series·(1 − δ/d) + 2(δ/d)σ_gb: the parallel GB
    path adds (2δ/d)σ_gb, the GB conduction along the field of Haile et al. (1998). The cut
    along the field lines (insulating walls between column and walls) makes it the *lower*
    bound of the exact cell, see :func:`nested_cube_sigma`.

    Validity: grains equiaxed and of one size, GB properties uniform (no space-charge profile);
    δ ≪ d for the series variant; for δ comparable with d use :func:`nested_cube_sigma` or
    :func:`coated_sphere_sigma` (Kidner et al., J. Electroceram. 14 (2005) 283).
    """
    sg = _conductivity(sigma_grain_s_per_m, "sigma_grain_s_per_m", allow_complex=True)
    sb = _conductivity(sigma_gb_s_per_m, "sigma_gb_s_per_m", allow_complex=True)
    d = _length(grain_size_m, "grain_size_m")
    delta = _length(gb_thickness_m, "gb_thickness_m", zero_ok=True)
    if parallel_paths not in BRICK_LAYER_VARIANTS:
        raise MicrostructureError("parallel_paths must be True or False")
    if not parallel_paths:
        # 1/σ = 1/σ_g + (δ/d)/σ_gb  ⇔  σ = d · [series conductance of d (σ_g) and δ (σ_gb)]
        return _out(d * _series_conductance(d, sg, delta, sb))
    return _out(_cut_series_parallel(sg, sb, d, delta))


def _cut_series_parallel(sg, sb, d, delta):
    big = d + delta
    column = d**2 * _series_conductance(d, sg, delta, sb)  # S
    walls = sb * (big**2 - d**2) / big  # S
    return (column + walls) / big


def _cut_parallel_series(sg, sb, d, delta):
    big = d + delta
    mixed = (sg * d**2 + sb * (big**2 - d**2)) / big**2  # slab of thickness d, S/m
    return big * _series_conductance(delta, sb, d, mixed)


@dataclass(frozen=True)
class BrickLayerArcs:
    """The two R‖C elements of the series brick-layer model of a sample (SI: Ω, F, Hz)."""

    r_bulk_ohm: float | np.ndarray
    c_bulk_f: float | np.ndarray
    r_gb_ohm: float | np.ndarray
    c_gb_f: float | np.ndarray

    @property
    def bulk_peak_hz(self):
        return _out(1.0 / (2.0 * np.pi * np.asarray(self.r_bulk_ohm) * self.c_bulk_f))

    @property
    def gb_peak_hz(self):
        return _out(1.0 / (2.0 * np.pi * np.asarray(self.r_gb_ohm) * self.c_gb_f))

    @property
    def gb_to_bulk_resistance(self):
        return _out(np.asarray(self.r_gb_ohm) / self.r_bulk_ohm)


def brick_layer_arcs(
    *,
    sigma_grain_s_per_m,
    eps_r_grain,
    sigma_gb_s_per_m,
    eps_r_gb,
    grain_size_m,
    gb_thickness_m,
    length_m,
    area_m2,
) -> BrickLayerArcs:
    """R and C of the bulk and GB arcs of a sample of thickness L and electrode area A.

    Series BLM (van Dijk & Burggraaf 1981; Haile, West & Campbell 1998)::

        R_b  = L/(σ_g A),            C_b  = ε₀ε_g A/L
        R_gb = (δ/d)·L/(σ_gb A),     C_gb = ε₀ε_gb A/((δ/d)·L)

    so R_gb/R_b = (δ/d)(σ_g/σ_gb) and C_b/C_gb = (δ/d)(ε_g/ε_gb). The current crosses L/d
    grains and as many GBs: the grain-size and GB-thickness dependence sits in R_gb, C_gb only.
    Validity: δ ≪ d; GBs parallel to the field neglected (they add (2δ/d)·σ_gb, negligible
    beside σ_g unless σ_gb approaches σ_g·d/(2δ)); d ≪ L (many grains across the sample).
    """
    sg = _conductivity(sigma_grain_s_per_m, "sigma_grain_s_per_m")
    sb = _conductivity(sigma_gb_s_per_m, "sigma_gb_s_per_m")
    eg = _permittivity(eps_r_grain, "eps_r_grain")
    eb = _permittivity(eps_r_gb, "eps_r_gb")
    d = _length(grain_size_m, "grain_size_m")
    delta = _length(gb_thickness_m, "gb_thickness_m")
    length = _length(length_m, "length_m")
    area = _real(area_m2, "area_m2", " m²", low=0.0, low_open=True)
    if np.any(sg == 0) or np.any(sb == 0):
        raise MicrostructureError(
            "sigma_grain_s_per_m and sigma_gb_s_per_m must be > 0 for an impedance arc"
        )
    gb_length = delta / d * length
    return BrickLayerArcs(
        r_bulk_ohm=_out(length / (sg * area)),
        c_bulk_f=_out(EPSILON_0_F_PER_M * eg * area / length),
        r_gb_ohm=_out(gb_length / (sb * area)),
        c_gb_f=_out(EPSILON_0_F_PER_M * eb * area / gb_length),
    )


def brick_layer_impedance(
    frequency_hz,
    *,
    sigma_grain_s_per_m,
    eps_r_grain,
    sigma_gb_s_per_m,
    eps_r_gb,
    grain_size_m,
    gb_thickness_m,
    length_m,
    area_m2,
):
    """Impedance Z(f) (Ω, complex) of the series brick-layer model: two R‖C in series.

    Z = R_b/(1 + jωR_bC_b) + R_gb/(1 + jωR_gbC_gb), ω = 2πf, with R, C from
    :func:`brick_layer_arcs`. Equivalently Z = L/(A·σ*), σ* the series BLM
    (:func:`brick_layer_sigma`, ``parallel_paths=False``) of the complex conductivities
    σ + jωε₀ε_r. In the Nyquist plane: two semicircles of diameters R_b and R_gb peaking at
    σ_g/(2πε₀ε_g) and σ_gb/(2πε₀ε_gb) (:func:`bulk_arc_peak_frequency_hz`,
    :func:`gb_arc_peak_frequency_hz`), resolved when the peaks are ≳ 2 decades apart. Ideal
    capacitors (no CPE dispersion); blocking-electrode polarisation not included.
    """
    arcs = brick_layer_arcs(
        sigma_grain_s_per_m=sigma_grain_s_per_m,
        eps_r_grain=eps_r_grain,
        sigma_gb_s_per_m=sigma_gb_s_per_m,
        eps_r_gb=eps_r_gb,
        grain_size_m=grain_size_m,
        gb_thickness_m=gb_thickness_m,
        length_m=length_m,
        area_m2=area_m2,
    )
    omega = 2.0 * np.pi * _frequency(frequency_hz)
    z = arcs.r_bulk_ohm / (1.0 + 1j * omega * arcs.r_bulk_ohm * arcs.c_bulk_f)
    z = z + arcs.r_gb_ohm / (1.0 + 1j * omega * arcs.r_gb_ohm * arcs.c_gb_f)
    return _out(z)


# --------------------------------------------------------------------------------------------
# nested cubes
# --------------------------------------------------------------------------------------------


def nested_cube_sigma(
    sigma_grain_s_per_m,
    sigma_gb_s_per_m,
    grain_size_m,
    gb_thickness_m,
    *,
    cut: str = "series_parallel",
):
    """Effective conductivity of the nested-cube cell by a cut approximation, S/m. Complex σ
    accepted.

    Cell (Kidner, Homrighaus, Ingram, Mason & Garboczi, J. Electroceram. 14 (2005) 283): a
    cube of edge D = d + δ, a grain core of edge d at its centre, a GB shell of δ/2 on each
    face; the cells fill space on a simple-cubic lattice, field along a cube axis. Kidner et
    al. compute this cell numerically and print no closed form for it; the two forms below are
    **derived here** (not taken from that paper) as the classical cut bounds of the cell:

    ``cut="series_parallel"`` — cut the cell along the field (insulating planes parallel to it)
    into the grain column and the GB walls, then combine (column: series; column ‖ walls)::

        σ_sp = (1/D)·[ d²/(d/σ_g + δ/σ_gb) + σ_gb (D² − d²)/D ]

    (the same as :func:`brick_layer_sigma` with ``parallel_paths=True``).

    ``cut="parallel_series"`` — cut across the field (equipotential planes normal to it) into
    a pure-GB slab of thickness δ and a slab of thickness d in which grain (d²) and GB walls
    (D² − d²) are in parallel, σ_mix = [σ_g d² + σ_gb (D² − d²)]/D²; then in series::

        σ_ps = D / (δ/σ_gb + d/σ_mix)

    For real conductivities σ_sp ≤ σ_exact ≤ σ_ps: inserting insulating sheets along the
    field can only raise the resistance, inserting perfectly conducting sheets normal to it can
    only lower it (Thomson's and Dirichlet's principles; the cell's faces parallel to the field
    carry no normal current and its faces normal to it are equipotentials by symmetry). The
    bounds coincide when σ_g = σ_gb (both give σ_g) and as δ → 0 (both → σ_g) or d → 0 (both
    → σ_gb); they are close when σ_gb < σ_g and δ ≪ d (resistive GBs: the series path
    dominates) and far apart when the GB is much more conductive. For complex σ (AC) the
    ordering is not a bound any more; the two cuts remain the two standard approximations.
    Validity: as the nested-cube model — equal grains, uniform shell, no space charge.
    """
    if cut not in NESTED_CUBE_CUTS:
        raise MicrostructureError(f"cut must be one of {', '.join(NESTED_CUBE_CUTS)}")
    sg = _conductivity(sigma_grain_s_per_m, "sigma_grain_s_per_m", allow_complex=True)
    sb = _conductivity(sigma_gb_s_per_m, "sigma_gb_s_per_m", allow_complex=True)
    d = _length(grain_size_m, "grain_size_m")
    delta = _length(gb_thickness_m, "gb_thickness_m", zero_ok=True)
    if cut == "series_parallel":
        return _out(_cut_series_parallel(sg, sb, d, delta))
    return _out(_cut_parallel_series(sg, sb, d, delta))


def nested_cube_sigma_ac(
    frequency_hz,
    *,
    sigma_grain_s_per_m,
    eps_r_grain,
    sigma_gb_s_per_m,
    eps_r_gb,
    grain_size_m,
    gb_thickness_m,
    cut: str = "series_parallel",
):
    """Complex effective conductivity σ*(f) (S/m) of the nested-cube cut ``cut``.

    :func:`nested_cube_sigma` applied to σ*_g = σ_g + jωε₀ε_g and σ*_gb = σ_gb + jωε₀ε_gb
    (quasi-static Maxwell–Wagner treatment). The sample impedance is Z = L/(A·σ*). At f → 0 it
    reduces to the DC :func:`nested_cube_sigma`; at f → ∞ to jωε₀ times the same cut of the
    permittivities.
    """
    f = _frequency(frequency_hz)
    sg = complex_conductivity(sigma_grain_s_per_m, eps_r_grain, f)
    sb = complex_conductivity(sigma_gb_s_per_m, eps_r_gb, f)
    return nested_cube_sigma(sg, sb, grain_size_m, gb_thickness_m, cut=cut)


# --------------------------------------------------------------------------------------------
# coated spheres, Hashin–Shtrikman
# --------------------------------------------------------------------------------------------


def coated_sphere_sigma(sigma_core_s_per_m, sigma_shell_s_per_m, core_fraction):
    """Effective conductivity of the Hashin coated-sphere assemblage, S/m. Complex σ accepted.

    Spheres of core σ_c coated with a shell σ_s, core volume fraction φ inside each coated
    sphere, the coated spheres (of all sizes) filling space (Hashin & Shtrikman, J. Appl. Phys.
    33 (1962) 3125; the Maxwell-Garnett / Maxwell–Wagner formula)::

        σ = σ_s · [σ_c + 2σ_s + 2φ(σ_c − σ_s)] / [σ_c + 2σ_s − φ(σ_c − σ_s)]

    *Exact* for the assemblage (not an approximation); it equals the Hashin–Shtrikman bound
    whose reference phase is the shell: the lower bound when the shell is the poorer conductor
    (resistive GBs), the upper one when it is the better (conducting GBs). For grains of size
    d with GBs of thickness δ: σ_c = σ_g, σ_s = σ_gb, φ = (d/(d + δ))³
    (:func:`grain_volume_fraction`). With complex σ it is the Maxwell–Wagner AC response of
    the assemblage. φ = 1 gives σ_c, φ = 0 gives σ_s.
    """
    sc = _conductivity(sigma_core_s_per_m, "sigma_core_s_per_m", allow_complex=True)
    ss = _conductivity(sigma_shell_s_per_m, "sigma_shell_s_per_m", allow_complex=True)
    phi = _fraction(core_fraction, "core_fraction")
    with np.errstate(divide="ignore", invalid="ignore"):
        # the bracketed forms regrouped by phase (no cancellation when σ_s ≪ σ_c and φ → 1)
        num = (1.0 + 2.0 * phi) * sc + 2.0 * (1.0 - phi) * ss
        den = (1.0 - phi) * sc + (2.0 + phi) * ss
        # den = 0 only with σ_s = 0 and φ = 1 (σ = σ_c) or σ_c = σ_s = 0 (σ = 0)
        out = np.where(den == 0, np.where(phi == 1, sc, 0.0), ss * num / np.where(den == 0, 1, den))
    return _out(out)


def hashin_shtrikman_bounds(sigma_1_s_per_m, sigma_2_s_per_m, fraction_2):
    """(lower, upper) Hashin–Shtrikman bounds (S/m) on any isotropic two-phase composite.

    Phases σ_1, σ_2 (real, ≥ 0), volume fraction f_2 of phase 2 (f_1 = 1 − f_2). With
    σ_lo = min, σ_hi = max (Hashin & Shtrikman, J. Appl. Phys. 33 (1962) 3125)::

        σ_HS⁻ = σ_lo + f_hi / (1/(σ_hi − σ_lo) + f_lo/(3σ_lo))
        σ_HS⁺ = σ_hi + f_lo / (1/(σ_lo − σ_hi) + f_hi/(3σ_hi))

    evaluated in the equivalent coated-sphere form (:func:`coated_sphere_sigma` with the poorer,
    resp. better, phase as shell) so that σ_lo = 0 or equal phases need no special case. The
    bounds are the best possible given only the fractions: both are attained by coated-sphere
    assemblages. Real σ only (for complex σ the bounds are regions, not numbers).
    """
    s1 = _conductivity(sigma_1_s_per_m, "sigma_1_s_per_m")
    s2 = _conductivity(sigma_2_s_per_m, "sigma_2_s_per_m")
    f2 = _fraction(fraction_2, "fraction_2")
    lo, hi = np.minimum(s1, s2), np.maximum(s1, s2)
    f_hi = np.where(s2 >= s1, f2, 1.0 - f2)
    lower = coated_sphere_sigma(hi, lo, f_hi)  # better phase as cores in a poor shell
    upper = coated_sphere_sigma(lo, hi, 1.0 - f_hi)  # poorer phase as cores in a good shell
    return lower, upper


# --------------------------------------------------------------------------------------------
# porosity
# --------------------------------------------------------------------------------------------


def bruggeman_sigma(sigma_1_s_per_m, sigma_2_s_per_m, fraction_2):
    """Symmetric Bruggeman effective-medium conductivity of two phases in 3-D, S/m.

    Spherical grains of both phases embedded in the effective medium itself (Bruggeman, Ann.
    Phys. 416 (1935) 636; Landauer, J. Appl. Phys. 23 (1952) 779)::

        f_1 (σ_1 − σ)/(σ_1 + 2σ) + f_2 (σ_2 − σ)/(σ_2 + 2σ) = 0
        ⇒ σ = [b + √(b² + 8σ_1σ_2)]/4,   b = (3f_1 − 1)σ_1 + (3f_2 − 1)σ_2

    (the positive root). It lies between the Hashin–Shtrikman bounds and treats both phases
    alike, so a phase percolates at a volume fraction of 1/3: with an insulating phase 2
    (pores), σ = σ_1(1 − 3f_2/2), zero from f_2 = 2/3 (:func:`bruggeman_porous_sigma`).
    Validity: random, equiaxed, well-mixed phases; near the threshold the real exponent
    (t ≈ 2 in 3-D) is not the EMA's linear one (Kirkpatrick, Rev. Mod. Phys. 45 (1973) 574).
    Real σ only.
    """
    s1 = _conductivity(sigma_1_s_per_m, "sigma_1_s_per_m")
    s2 = _conductivity(sigma_2_s_per_m, "sigma_2_s_per_m")
    f2 = _fraction(fraction_2, "fraction_2")
    f1 = 1.0 - f2
    b = (3.0 * f1 - 1.0) * s1 + (3.0 * f2 - 1.0) * s2
    return _out((b + np.sqrt(b * b + 8.0 * s1 * s2)) / 4.0)


def bruggeman_porous_sigma(sigma_solid_s_per_m, porosity):
    """Symmetric Bruggeman EMA with insulating pores: σ = σ_s·max(0, 1 − 3p/2), S/m.

    :func:`bruggeman_sigma` with σ_pore = 0 (3-D, spherical pores and grains). The solid stops
    percolating at p = 2/3 (``BRUGGEMAN_POROSITY_THRESHOLD``): a *symmetric* picture in which
    the solid is as fragmented as the pores — suited to loosely sintered powder compacts, where
    necks, not grains, carry the current. Validity: p well below 2/3 for numbers; near the
    threshold the EMA's linear vanishing is qualitative only.
    """
    sigma = _conductivity(sigma_solid_s_per_m, "sigma_solid_s_per_m")
    p = _fraction(porosity, "porosity")
    return _out(sigma * np.maximum(0.0, 1.0 - 1.5 * p))


def differential_porous_sigma(sigma_solid_s_per_m, porosity):
    """Differential EMA (Archie-type) with insulating spherical pores: σ = σ_s (1 − p)^{3/2}.

    Pores added in infinitesimal steps to a solid that stays the continuous matrix (Sen, Scala
    & Cohen, Geophysics 46 (1981) 781; Archie's law with cementation exponent m = 3/2). No
    percolation threshold: σ > 0 for every p < 1, the right picture for dense ceramics with
    isolated (closed) pores. Above the Bruggeman value for every 0 < p < 1.
    """
    sigma = _conductivity(sigma_solid_s_per_m, "sigma_solid_s_per_m")
    p = _fraction(porosity, "porosity")
    return _out(sigma * (1.0 - p) ** 1.5)
