// The one place the bundles take the VS Code API from (scripts/build.mjs resolves every other
// `import 'vscode'` here): esbuild then copies the API's properties into a namespace object once,
// not once per importing module, which was a third of the main bundle's evaluation time.
export * from 'vscode';
