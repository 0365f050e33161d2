"""Renderers: data in, bytes out; none of them touches the file system."""
