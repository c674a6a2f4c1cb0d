"""Grain-boundary-resolved transport in polycrystalline electrolytes.

``tessellation``     Voronoi/Laguerre cells of a box in 2-D and 3-D (faces, areas, triple lines)
``structure``        polycrystals: grain-size distribution, pore cells, necks
``network``          the shared transport network: nodes, edges of series segments, phases
                     with their own Arrhenius laws
``build``            polycrystal + materials → network (collapsed GBs, GB sheet, triple-junction
                     tubes, electrode contacts and layers)
``solve``            DC conductivity (with contact focusing) and AC impedance of a network
``tensor``           the diagonal conductivity tensor, one solve per axis
``effective_medium`` closed forms (brick layer, nested cubes, Maxwell–Wagner, Bruggeman, bounds)
``deposition``       coupled ion/electron networks with defect chemistry; internal Li deposition
                     and its onset current
``cell_coupling``    σ_total and f_dep(j) of a microstructure for the cell simulator
``presets``          cited material phases (LLZTO grains, clean and Li-Al-O GBs, ALD Al2O3)
``studies``          when the brick-layer reading of a spectrum misleads
``figures``, ``export``  sections, risk maps, VTK
"""
