"""Organisations (tenants), members with roles, sign-in and password reset."""
