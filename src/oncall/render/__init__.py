"""Renderers: a use case's result in, text (or bytes) out, for people or scripts.

They sit above the use cases because they read the use cases' result types (Planned,
Report, View, Reminder, ExportFile); the use cases never import them, so a use case never
decides wording, colour or layout.
"""
