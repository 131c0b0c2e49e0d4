"""Ingest: load plan files, normalize Vietnamese text, build the section tree and typed records.

Pipeline (one direction): load -> normalize -> sections -> tables/records -> assignments.
`ingest.pipeline.parse_file` runs it for one file and returns a `ParsedDocument`.
"""
