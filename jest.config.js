const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // otplib's default plugins depend on ESM-only packages (@scure/base, @noble/hashes), which
    // Node 20 requires natively but Jest's CommonJS runtime does not: those two are transpiled.
    '^.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(.*/node_modules/)?(@scure/base|@noble/hashes)/)'],
};

// The database tiers share one database, booted once by globalSetup (a project's globalSetup
// runs only when one of its tests is selected); the unit tier needs none and starts at once.
const withDatabase = {
  ...shared,
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // One database for the whole run: files run one after another (see README, "Tests").
  maxWorkers: 1,
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'], testMatch: ['**/*.test.ts'] },
    {
      ...withDatabase,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
    },
    {
      ...withDatabase,
      displayName: 'browser',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
