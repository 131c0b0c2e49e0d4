"""Index stage: structure-aware chunks, embeddings (cached by content hash), Chroma, a Vietnamese
lexical index and the SQLite record store, built beside the live index and switched in atomically."""
