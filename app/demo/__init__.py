"""The demo municipality: Swedish content and the loader that builds it through the services."""
