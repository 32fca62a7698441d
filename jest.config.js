// Two projects: "unit" needs nothing running; "stack" runs against the real local stack
// (Temporal dev server, Kafka, FerretDB) and the time-skipping test server, which its global
// setup installs and starts on test ports, and stops afterwards: the e2e tests, the workflow
// tests and each service's component tests (services/*/test/component).
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 180000,
  projects: [
    {
      displayName: 'unit',
      transform,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/{domain,platform,services,workflows}/**/test/unit/**/*.test.ts',
        '<rootDir>/tests/unit/**/*.test.ts',
      ],
    },
    {
      displayName: 'stack',
      transform,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/tests/**/*.test.ts',
        '<rootDir>/workflows/test/**/*.test.ts',
        '<rootDir>/services/*/test/component/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/unit/'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
