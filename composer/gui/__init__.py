"""The desktop window: thin widgets over the letter session and the core."""
