"""Turning files into chunks with rich metadata, and writing them to the store (rag.store)."""
