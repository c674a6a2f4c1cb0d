"""``ssblab micro build|dc|eis|risk``: grain-boundary-resolved transport in polycrystals.

Every command builds a polycrystal from the same options (``--grains`` cells of mean equivalent
diameter ``--grain-size`` in a box of side ratios ``--aspect``; axis 0 runs between the two
electrodes unless ``--axis`` says otherwise), then

* ``build``  prints the structure's summary, optionally writes it as VTK and draws a section;
* ``dc``     effective ionic and electronic conductivity, GB share of the resistance, current
  focusing at the electrode contacts, against the brick-layer closed form;
* ``eis``    the simulated ionic impedance spectrum, written as a CSV that ``ssblab eis`` reads;
* ``risk``   internal Li deposition under current (``micro.deposition``): f_dep, where it
  happens (GB face nodes vs grains), the onset current density of a sweep, a risk map.

numpy, scipy, matplotlib and ``ssblab.micro`` load inside the commands, not at start-up. Bad
input exits 2 with one line; a carrier that does not percolate is a result (σ = 0, exit 0).

The parts: :mod:`.options` (the shared options and their parsing), :mod:`.pipeline` (building
the structure and network, solving, the payload's head), :mod:`.output` (shared human output),
and one module per command with its printer.
"""

from __future__ import annotations

import typer

from ssblab.cli.micro.build import build_cmd
from ssblab.cli.micro.dc import dc_cmd
from ssblab.cli.micro.eis import eis_cmd
from ssblab.cli.micro.risk import risk_cmd

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Polycrystal microstructures: build, DC conductivity, impedance, Li-deposition risk.",
)
app.command("build")(build_cmd)
app.command("dc")(dc_cmd)
app.command("eis")(eis_cmd)
app.command("risk")(risk_cmd)

__all__ = ["app"]
