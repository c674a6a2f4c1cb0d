"""Thermodynamic stability of oxide electrolytes and coatings against Li metal.

**Grand-potential stability window** (Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685,
eqs. 1–2): at an electrode potential φ vs Li/Li⁺ the Li chemical potential is
μ_Li(φ) = μ⁰_Li − eφ, and a phase decomposes when its grand-potential decomposition energy
E_D(φ) = E(equilibrium phases at φ) − E(phase) − Δn_Li μ_Li(φ) is negative. The *reduction
potential* is the highest φ at which a lithiation (Δn_Li > 0) becomes favourable: below it,
Li metal (φ = 0 V) reduces the phase. Li metal is at 0 V, so every phase with a reduction
potential above 0 V is thermodynamically reduced by Li; the size of E_D(0 V) (eV/atom) says how
strongly. Validity: 0 K DFT (PBE, Materials Project corrections of 2015), no PV or entropy
terms; reduction potentials within ≈ 0.05 V or |E_D| ≲ 0.03 eV/atom of zero are below the
method's accuracy (Zhu et al. say so for LLZO, E_D(0 V) = −0.021 eV/atom).

**Table** (:data:`WINDOWS`; reduction / oxidation potential in V vs Li/Li⁺):

* Zhu, He & Mo 2015 Table 1 (E_D at 0 V from their Table 2): LiPON 0.68 / 2.63 V
  (−0.66 eV/atom); LLZO 0.05 / 2.91 V (−0.021); LLTO 1.75 / 3.71 V (−0.34); LATP 2.17 / 4.21 V
  (−1.56); LAGP 2.70 / 4.27 V (−1.99). Their SI Table S3 gives the coating Li3PO4
  0.69 / 4.21 V.
* Al2O3, SiO2 — not in Zhu et al. 2015; *derived here* from standard Gibbs energies of
  formation at 298.15 K (CRC Handbook of Chemistry and Physics, "Standard thermodynamic
  properties of chemical substances": ΔfG°(α-Al2O3) = −1582.3, ΔfG°(SiO2, quartz) = −856.3,
  ΔfG°(Li2O) = −561.2 kJ/mol) for the full reductions Al2O3 + 6 Li → 2 Al + 3 Li2O and
  SiO2 + 4 Li → Si + 2 Li2O: E = −ΔrG/(nF) = 0.175 V and 0.689 V (:func:`reduction_potential_V`).
  Intermediate lithium aluminates / silicates (LiAlO2, Li2SiO3 …) form at a higher potential,
  so these are *lower bounds* of the reduction onset: both oxides are reduced by Li, which is
  why ALD Al2O3 lithiates into Li-Al-O on Li (seed 004 Results; seed 003 §2.3.3) even though
  one isolated Li in crystalline α-Al2O3 costs +3.17 eV (seed 004 DFT, s004-dft-li-in-al2o3).
* LiAlO2 — neither cited source gives its window; the table keeps ``None`` (not 0 V) and
  :func:`classify_material` refuses to classify it rather than inventing a value.

**Classification** (:func:`classify_material`): reduced by Li (reduction potential > 0 V) →
``"mci"`` when the reduction products conduct electrons (Ti³⁺ titanates from LATP/LLTO,
Li–Ge alloys from LAGP: Zhu et al. 2015 §3.1; Hartmann et al., J. Phys. Chem. C 117 (2013)
21064; Si from SiO2 → Li–Si alloy), ``"sei"`` when they are Li binaries that insulate
electrons (Li3P, Li3N, Li2O from LiPON and Li3PO4; Li2O/La2O3 from LLZO; Li-Al-O from Al2O3).
A driving force |E_D(0 V)| below :data:`KINETIC_STABILITY_EV_ATOM` is flagged
``kinetically_stable`` (LLZO).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ssblab.errors import SsblabInputError
from ssblab.units import positive_si, si_float

F_C_MOL = 96485.33212  # C/mol (CODATA 2018)

#: Standard Gibbs energies of formation at 298.15 K, J/mol (CRC Handbook, standard
#: thermodynamic properties of chemical substances).
DGF_J_MOL = {"Al2O3": -1582.3e3, "SiO2": -856.3e3, "Li2O": -561.2e3}

#: |E_D(0 V)| below which a reduction is within DFT accuracy (Zhu et al. 2015 call LLZO's
#: −0.021 eV/atom "inconclusive"; Nolan, Wachsman & Mo, Energy Storage Mater. 41 (2021) 571 use
#: 0.05 eV/atom as their stability threshold), eV/atom.
KINETIC_STABILITY_EV_ATOM = 0.05


def reduction_potential_V(delta_r_g_J_mol, n_li) -> float:
    """E = −Δ_rG/(n F) (V vs Li/Li⁺) of a reduction ``phase + n Li → products``.

    Positive: Li metal (0 V) drives the reduction."""
    dg = si_float(delta_r_g_J_mol, "J/mol", "delta_r_g_J_mol")
    n = positive_si(n_li, "", "n_li")
    return -dg / (n * F_C_MOL)


def _full_reduction_V(oxide: str, n_oxide_o: int) -> float:
    """Oxide MxOy + 2y Li → x M + y Li2O: E = −(y ΔfG(Li2O) − ΔfG(oxide))/(2y F)."""
    dg = n_oxide_o * DGF_J_MOL["Li2O"] - DGF_J_MOL[oxide]
    return reduction_potential_V(dg, 2 * n_oxide_o)


#: Al2O3 + 6 Li → 2 Al + 3 Li2O (CRC ΔfG°): 0.175 V, a lower bound of the onset.
AL2O3_FULL_REDUCTION_V = _full_reduction_V("Al2O3", 3)
#: SiO2 + 4 Li → Si + 2 Li2O (CRC ΔfG°): 0.689 V, a lower bound of the onset.
SIO2_FULL_REDUCTION_V = _full_reduction_V("SiO2", 2)


@dataclass(frozen=True)
class StabilityWindow:
    """Reduction / oxidation potential (V vs Li/Li⁺) of a phase, its Li-reduction products and
    whether those conduct electrons; ``None`` where the cited sources give no value."""

    material: str
    reduction_V: float | None
    oxidation_V: float | None
    reduction_products: str
    products_conduct_electrons: bool | None
    decomposition_energy_0V_eV_atom: float | None
    source: str

    @property
    def reduced_by_li(self) -> bool | None:
        return None if self.reduction_V is None else self.reduction_V > 0

    def to_dict(self) -> dict:
        return asdict(self)


_ZHU = "Zhu, He & Mo, ACS AMI 7 (2015) 23685"
WINDOWS: dict[str, StabilityWindow] = {
    "LATP": StabilityWindow(
        "LATP", 2.17, 4.21, "P, LiTiPO5, AlPO4, Li3PO4 (Ti3+ and below at 0 V)", True, -1.56,
        f"{_ZHU} Tables 1-2; Ti3+ products conduct electrons (MCI; Hartmann et al. 2013)",
    ),
    "LAGP": StabilityWindow(
        "LAGP", 2.70, 4.27, "Ge, GeO2, Li4P2O7, AlPO4 (Li-Ge alloy at 0 V)", True, -1.99,
        f"{_ZHU} Tables 1-2; Li-Ge alloy conducts electrons (MCI)",
    ),
    "LLTO": StabilityWindow(
        "LLTO", 1.75, 3.71, "Li4Ti5O12, Li7/6Ti11/6O4, La2Ti2O7 (Ti reduced)", True, -0.34,
        f"{_ZHU} Tables 1-2; reduced titanates conduct electrons (MCI)",
    ),
    "LLZO": StabilityWindow(
        "LLZO", 0.05, 2.91, "Zr3O, La2O3, Li2O", False, -0.021,
        f"{_ZHU} Tables 1-2; |E_D| below DFT accuracy: kinetically stable, Li2O passivates",
    ),
    "LiPON": StabilityWindow(
        "LiPON", 0.68, 2.63, "Li3P, LiPN2, Li2O (Li3P, Li3N, Li2O at 0 V)", False, -0.66,
        f"{_ZHU} Tables 1-2; Li binaries insulate electrons (SEI)",
    ),
    "Li3PO4": StabilityWindow(
        "Li3PO4", 0.69, 4.21, "Li3P, Li2O", False, None,
        f"{_ZHU} SI Table S3 (coatings); Li binaries insulate electrons (SEI)",
    ),
    "Al2O3": StabilityWindow(
        "Al2O3", AL2O3_FULL_REDUCTION_V, None, "Al, Li2O (via LiAlO2 / Li-Al-O)", False, None,
        "derived: Al2O3 + 6Li -> 2Al + 3Li2O from CRC standard Gibbs energies (lower bound); "
        "lithiated Li-Al-O conducts ions, not electrons (seed 004 Results, seed 003 §2.3.3)",
    ),
    "SiO2": StabilityWindow(
        "SiO2", SIO2_FULL_REDUCTION_V, None, "Si (Li-Si alloy), Li2O", True, None,
        "derived: SiO2 + 4Li -> Si + 2Li2O from CRC standard Gibbs energies (lower bound)",
    ),
    "LiAlO2": StabilityWindow(
        "LiAlO2", None, None, "not given", None, None,
        "no window in Zhu et al. 2015 or Richards et al., Chem. Mater. 28 (2016) 266 as read "
        "here; left undefined rather than set to 0 V",
    ),
}  # fmt: skip


def stability_window(material: str) -> StabilityWindow:
    """The :data:`WINDOWS` entry of ``material`` (typed error naming it if unknown)."""
    try:
        return WINDOWS[material]
    except (KeyError, TypeError):
        raise SsblabInputError(
            f"material {material!r} has no stability window: use one of {', '.join(WINDOWS)}"
        ) from None


@dataclass(frozen=True)
class LiStability:
    """Verdict of :func:`classify_material`: Wenzel class and the numbers behind it."""

    material: str
    kind: str  # "stable" | "mci" | "sei" (ssblab.models.interphase.KINDS)
    reduction_V: float
    kinetically_stable: bool
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def classify_material(material: str) -> LiStability:
    """Wenzel class of ``material`` against Li metal from its reduction potential (module doc).

    ``"stable"`` if its reduction potential is ≤ 0 V; else ``"mci"`` / ``"sei"`` by the
    electronic character of the reduction products. Raises for a material whose window or
    product character the cited sources do not give (LiAlO2)."""
    w = stability_window(material)
    if w.reduction_V is None:
        raise SsblabInputError(f"material {material!r}: no cited reduction potential ({w.source})")
    if w.reduction_V <= 0:
        return LiStability(material, "stable", w.reduction_V, False, "reduction potential ≤ 0 V")
    if w.products_conduct_electrons is None:
        raise SsblabInputError(f"material {material!r}: electronic character of products unknown")
    kinetic = (
        w.decomposition_energy_0V_eV_atom is not None
        and abs(w.decomposition_energy_0V_eV_atom) < KINETIC_STABILITY_EV_ATOM
    )
    kind = "mci" if w.products_conduct_electrons else "sei"
    reason = (
        f"reduced by Li below {w.reduction_V:.3g} V vs Li/Li+ into {w.reduction_products}; "
        + ("products conduct electrons (grows on)" if kind == "mci" else "products insulate")
        + ("; driving force below DFT accuracy (kinetically stable)" if kinetic else "")
    )
    return LiStability(material, kind, w.reduction_V, kinetic, reason)
