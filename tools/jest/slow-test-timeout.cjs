// Integration and end-to-end tests talk to real servers: give each test a minute (a Jest
// multi-project run ignores a project's own `testTimeout`).
jest.setTimeout(Number(process.env.MATRIX_TEST_TIMEOUT_MS ?? 120000));
