"""Zalo Official Account channel for officials: webhook verification, OA client, reply text."""
