"""Grain-boundary-resolved transport in polycrystalline electrolytes.

``tessellation``   Voronoi/Laguerre polycrystals in 2-D and 3-D (faces, areas, triple lines)
``network``        the shared transport-network structure: nodes, edges of series segments,
                   phases with their own Arrhenius laws
``effective_medium`` closed forms (brick layer, nested cubes, Maxwell–Wagner, Bruggeman)
``deposition``     coupled ion/electron networks with defect chemistry; internal Li deposition
"""
