"""Who is asking: users with roles, API tokens hashed at rest, passwords hashed with Argon2."""
