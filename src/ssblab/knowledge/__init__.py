"""The cited knowledge base of the seed papers: records, schema, loading and search."""

from ssblab.knowledge.schema import PROPERTIES, SEED_FILES, Record
from ssblab.knowledge.store import KnowledgeBase, dataframe, default_knowledge_base, load_records

__all__ = [
    "PROPERTIES",
    "SEED_FILES",
    "KnowledgeBase",
    "Record",
    "dataframe",
    "default_knowledge_base",
    "load_records",
]
