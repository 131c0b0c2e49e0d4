"""The plan assistant: question understanding, retrieval, grounded answers, CLI and serving."""
