"""mairie-rag knowledge-base library: settings, schema, store, embeddings, retrieval, answers."""

__version__ = "0.1.0"
