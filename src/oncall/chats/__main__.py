"""`python -m oncall.chats` prints the table of docs/chat/README.md (a test compares it)."""

from oncall.chats import docs_table

print(docs_table(), end="")
