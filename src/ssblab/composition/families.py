"""Structure-family rules for garnet, NASICON and perovskite solid electrolytes.

Site assignment follows the substitution sites reported in seed 001 (Table 2 and §"Element
doping", Figure 9a): Al, Ga, Fe, Mg on the Li site; Ce, Sr, Ba, Ca on the La site; Nb, Ta, W, Te,
Mo, Sb, V, Ru, Hf, Sn, Ti, Ge, Si, Sc on the Zr site. Gd, Y and Bi fill the La site first and
then the Zr site (seed 001 Table 2 lists Gd³⁺ and Bi⁵⁺ on Zr⁴⁺ with La fully present).

Configurational entropy of a sublattice with site fractions xᵢ (vacancies included):
S/R = −Σ xᵢ ln xᵢ per site. High-entropy convention: S ≥ 1.5 R on the mixed sublattice
(Yeh et al., Adv. Eng. Mater. 6 (2004) 299; used for garnets in seed 001 refs [124], [126]).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

GARNET_LI_SITE = ("Li", "H", "Al", "Ga", "Fe", "Mg", "Zn")
GARNET_LA_SITE = ("La", "Ce", "Sr", "Ba", "Ca", "Nd")
GARNET_FLEXIBLE = ("Gd", "Y", "Bi")  # La site first, remainder on the Zr site
GARNET_ZR_SITE = (
    "Zr", "Hf", "Sn", "Ti", "Ge", "Si", "Ru", "Sc", "Ta", "Nb", "Sb", "V", "W", "Te", "Mo",
)  # fmt: skip
ANIONS = ("O", "F", "Cl", "Br", "N", "S")

NASICON_M_SITE = ("Ti", "Ge", "Zr", "Hf", "Sn", "Al", "Ga", "Sc", "Cr", "Fe", "In", "Y", "Nb", "Ta")
NASICON_POLYANION = ("P", "Si", "As")

PEROVSKITE_A_SITE = ("Li", "Na", "La", "Sr", "Ca", "Ba", "Nd", "Ce", "Pr", "Sm")
PEROVSKITE_B_SITE = ("Ti", "Nb", "Ta", "Zr", "Hf", "Al", "Ga", "Sn", "W", "Mo", "Fe", "Mn")

SITE_TOLERANCE = 0.05  # pfu; a site sum further than this from ideal is reported
HIGH_ENTROPY_R = 1.5
SEED001_GARNET = "seed 001 §'Element doping' / Table 2"

CITE_AL = "seed 001 §'Li-site cation doping' (0.2–0.24 Al → 0.4–0.48 Li vacancies, ref. [99])"
CITE_GA_I43D = "seed 001 §'Li-site cation doping' (Ga x > 0.07 → acentric cubic I-43d, ref. [105])"
CITE_GA_03 = "seed 001 §'Li-site cation doping' (0.3 mol Ga³⁺ stabilises cubic, ref. [104])"
CITE_ENTROPY = (
    "seed 001 §'Zr-site high-entropy doping' (entropy-stabilised cubic, refs. [124], [126])"
)
CITE_VACANCY = "seed 001 §'Element doping' summary: Li vacancies from aliovalent doping disorder Li"
CITE_T_LLZO = "seed 001 §'Crystal structure': undoped Li7La3Zr2O12 orders Li (tetragonal)"


def _entropy_r(fractions: list[float]) -> float:
    return abs(float(-sum(x * math.log(x) for x in fractions if 0 < x < 1)))


def _sublattice(members: Mapping[str, float], sites: float) -> dict:
    occupied = sum(members.values())
    fractions = {k: v / sites for k, v in members.items() if v > 0}
    vacancy = max(0.0, sites - occupied) / sites
    if vacancy > 1e-12:
        fractions["vacancy"] = vacancy
    return {
        "sites_pfu": sites,
        "occupancy_sum_pfu": occupied,
        "fractions": fractions,
        "entropy_R_per_site": _entropy_r(list(fractions.values())),
    }


@dataclass(frozen=True)
class FamilyReport:
    """Site sums, vacancies, entropy and structural verdicts for one structure family."""

    family: str
    normalised_to: str
    site_sums: dict[str, float]
    sublattices: dict[str, dict] = field(default_factory=dict)
    li_vacancies_pfu: float | None = None
    cubic_stabilisation: dict | None = None
    notes: tuple[str, ...] = ()


def _normalise(amounts: Mapping[str, float], symbols: tuple[str, ...], target: float):
    total = sum(amounts.get(s, 0.0) for s in symbols)
    if total <= 0:
        return None
    factor = target / total
    return {k: v * factor for k, v in amounts.items()}, factor


def analyse_garnet(amounts: Mapping[str, float]) -> FamilyReport:
    """Garnet Li7La3Zr2O12 framework (A3B2C3O12 with Li in the interstitial sites)."""
    scaled, factor = _normalise(amounts, ANIONS, 12.0)
    li_site = {s: scaled[s] for s in GARNET_LI_SITE if s in scaled}
    la_site = {s: scaled[s] for s in GARNET_LA_SITE if s in scaled}
    zr_site = {s: scaled[s] for s in GARNET_ZR_SITE if s in scaled}
    for symbol in GARNET_FLEXIBLE:
        if symbol in scaled:
            room = max(0.0, 3.0 - sum(la_site.values()))
            on_la = min(room, scaled[symbol])
            if on_la > 0:
                la_site[symbol] = on_la
            if scaled[symbol] - on_la > 0:
                zr_site[symbol] = scaled[symbol] - on_la
    anions = {s: scaled[s] for s in ANIONS if s in scaled}
    li = scaled.get("Li", 0.0)
    li_site_dopants = sum(v for k, v in li_site.items() if k not in ("Li", "H"))
    vacancies = 7.0 - sum(li_site.values())
    notes = []
    if abs(factor - 1.0) > 1e-9:
        notes.append(f"amounts scaled by {factor:.4g} to 12 anions per formula unit")
    la_sum, zr_sum = sum(la_site.values()), sum(zr_site.values())
    if abs(la_sum - 3.0) > SITE_TOLERANCE:
        notes.append(f"La-site sum {la_sum:.3g} differs from 3 ({SEED001_GARNET})")
    if abs(zr_sum - 2.0) > SITE_TOLERANCE:
        notes.append(f"Zr-site sum {zr_sum:.3g} differs from 2 ({SEED001_GARNET})")
    if vacancies < -SITE_TOLERANCE:
        notes.append(f"Li site over-filled by {-vacancies:.3g} pfu relative to Li7")
    sublattices = {
        "Li": _sublattice(li_site, 7.0),
        "La": _sublattice(la_site, 3.0),
        "Zr": _sublattice(zr_site, 2.0),
        "O": _sublattice(anions, 12.0),
    }
    verdict = _cubic_verdict(li_site, li_site_dopants, vacancies, sublattices["Zr"])
    return FamilyReport(
        family="garnet",
        normalised_to="12 anions",
        site_sums={
            "Li": li,
            "Li_site_total": sum(li_site.values()),
            "La_site": la_sum,
            "Zr_site": zr_sum,
            "anions": sum(anions.values()),
        },
        sublattices=sublattices,
        li_vacancies_pfu=vacancies,
        cubic_stabilisation=verdict,
        notes=tuple(notes),
    )


def _cubic_verdict(li_site, li_site_dopants, vacancies, zr_sublattice) -> dict:
    """Cubic-stabilisation heuristic from seed 001; the first rule that fires is reported."""
    ga, al = li_site.get("Ga", 0.0), li_site.get("Al", 0.0)
    zr_entropy = zr_sublattice["entropy_R_per_site"]
    if ga >= 0.3:
        return {"phase": "cubic", "space_group": "I-43d", "rule": "Ga on Li site >= 0.3 pfu",
                "source": f"{CITE_GA_03}; {CITE_GA_I43D}"}  # fmt: skip
    if ga > 0.07:
        return {"phase": "cubic", "space_group": "I-43d", "rule": "Ga on Li site > 0.07 pfu",
                "source": CITE_GA_I43D}  # fmt: skip
    if al >= 0.2:
        return {"phase": "cubic", "space_group": "Ia-3d", "rule": "Al on Li site >= 0.2 pfu",
                "source": CITE_AL}  # fmt: skip
    if zr_entropy >= HIGH_ENTROPY_R:
        return {"phase": "cubic", "space_group": "Ia-3d",
                "rule": f"Zr-site configurational entropy {zr_entropy:.2f} R >= {HIGH_ENTROPY_R} R",
                "source": CITE_ENTROPY}  # fmt: skip
    if vacancies >= 0.4 - 1e-9:
        return {"phase": "cubic", "space_group": "Ia-3d",
                "rule": f"Li vacancies {vacancies:.3g} pfu >= 0.4 pfu",
                "source": f"{CITE_VACANCY}; threshold from {CITE_AL}"}  # fmt: skip
    return {"phase": "tetragonal", "space_group": "I41/acd",
            "rule": f"Li vacancies {vacancies:.3g} pfu < 0.4 pfu and no stabilising dopant",
            "source": CITE_T_LLZO}  # fmt: skip


def analyse_nasicon(amounts: Mapping[str, float]) -> FamilyReport:
    """NASICON LiM2(PO4)3: Li1+xAlxTi2−x(PO4)3 (LATP), Li1+xAlxGe2−x(PO4)3 (LAGP)."""
    scaled, factor = _normalise(amounts, ANIONS, 12.0)
    m_site = {s: scaled[s] for s in NASICON_M_SITE if s in scaled}
    poly = {s: scaled[s] for s in NASICON_POLYANION if s in scaled}
    li = scaled.get("Li", 0.0)
    notes = []
    if abs(factor - 1.0) > 1e-9:
        notes.append(f"amounts scaled by {factor:.4g} to 12 O per formula unit")
    m_sum, p_sum = sum(m_site.values()), sum(poly.values())
    if abs(m_sum - 2.0) > SITE_TOLERANCE:
        notes.append(f"M-site sum {m_sum:.3g} differs from 2 (LiM2(PO4)3)")
    if abs(p_sum - 3.0) > SITE_TOLERANCE:
        notes.append(f"polyanion-site sum {p_sum:.3g} differs from 3 (LiM2(PO4)3)")
    return FamilyReport(
        family="nasicon",
        normalised_to="12 O",
        site_sums={"Li": li, "x_excess_Li": li - 1.0, "M_site": m_sum, "polyanion_site": p_sum},
        sublattices={"M": _sublattice(m_site, 2.0), "polyanion": _sublattice(poly, 3.0)},
        notes=tuple(notes),
    )


def analyse_perovskite(amounts: Mapping[str, float]) -> FamilyReport:
    """Perovskite ABO3, e.g. Li3xLa2/3−xTiO3 (LLTO) with A-site vacancies."""
    scaled, factor = _normalise(amounts, ANIONS, 3.0)
    a_site = {s: scaled[s] for s in PEROVSKITE_A_SITE if s in scaled}
    b_site = {s: scaled[s] for s in PEROVSKITE_B_SITE if s in scaled}
    a_sum, b_sum = sum(a_site.values()), sum(b_site.values())
    notes = []
    if abs(factor - 1.0) > 1e-9:
        notes.append(f"amounts scaled by {factor:.4g} to 3 O per formula unit")
    if abs(b_sum - 1.0) > SITE_TOLERANCE:
        notes.append(f"B-site sum {b_sum:.3g} differs from 1 (ABO3)")
    return FamilyReport(
        family="perovskite",
        normalised_to="3 O",
        site_sums={"A_site": a_sum, "A_site_vacancies": 1.0 - a_sum, "B_site": b_sum},
        sublattices={"A": _sublattice(a_site, 1.0), "B": _sublattice(b_site, 1.0)},
        notes=tuple(notes),
    )


def _near(value: float, target: float, tol: float) -> bool:
    return abs(value - target) <= tol


def detect_family(amounts: Mapping[str, float]) -> str:
    """Guess the structure family from the stoichiometry ('other' when nothing fits)."""
    anions = sum(amounts.get(s, 0.0) for s in ANIONS)
    if anions <= 0 or amounts.get("Li", 0.0) <= 0:
        return "other"
    o12 = 12.0 / anions
    poly = sum(amounts.get(s, 0.0) for s in NASICON_POLYANION) * o12
    m_site = sum(amounts.get(s, 0.0) for s in NASICON_M_SITE) * o12
    if _near(poly, 3.0, 0.3) and _near(m_site, 2.0, 0.4):
        return "nasicon"
    la_fixed = sum(amounts.get(s, 0.0) for s in GARNET_LA_SITE) * o12
    flexible = sum(amounts.get(s, 0.0) for s in GARNET_FLEXIBLE) * o12
    flexible_on_la = min(flexible, max(0.0, 3.0 - la_fixed))
    la = la_fixed + flexible_on_la
    zr = sum(amounts.get(s, 0.0) for s in GARNET_ZR_SITE) * o12 + flexible - flexible_on_la
    li = amounts.get("Li", 0.0) * o12
    if poly < 0.1 and li >= 3.0 and _near(la, 3.0, 0.4) and 1.4 <= zr <= 2.6:
        return "garnet"
    o3 = 3.0 / anions
    b = sum(amounts.get(s, 0.0) for s in PEROVSKITE_B_SITE) * o3
    a = sum(amounts.get(s, 0.0) for s in PEROVSKITE_A_SITE) * o3
    if poly < 0.1 and _near(b, 1.0, 0.1) and 0.5 <= a <= 1.05:
        return "perovskite"
    return "other"


ANALYSERS = {"garnet": analyse_garnet, "nasicon": analyse_nasicon, "perovskite": analyse_perovskite}
