"""Rule families. Importing this package registers every rule."""
