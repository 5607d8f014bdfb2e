/** The package version (libs/sdk/package.json; a unit test keeps the two equal). */
export const SDK_VERSION = '0.1.0';
