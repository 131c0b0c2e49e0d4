"""Route modules; each exposes `router`. Routes stay thin: parse, call, serialize."""
