"""The playground page: connection, request form, toolbar, share menu, live region."""
