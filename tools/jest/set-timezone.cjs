// Deterministic time zone for every test process.
process.env.TZ = 'UTC';
