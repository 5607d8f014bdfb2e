import path from 'node:path';
import ts from 'typescript';
import type { Manifest } from './kustomize';

/*
 * Strict validation of rendered Kubernetes objects, unknown fields included. kubernetes-models' own
 * validate() (ajv, from the Kubernetes OpenAPI schemas) checks types, required fields, enums and formats
 * but lets unknown fields through, as the API server's schemas do; `kubectl apply` rejects them (strict
 * field validation). The package also ships a TypeScript interface per kind, generated from the same
 * schemas, so each object is type-checked as a fresh object literal of its interface: TypeScript's excess
 * property check then names every field that is not in the schema, at any depth (`'bogus' does not exist in
 * type 'IContainer'`), and any value of the wrong type. Offline, from an npm package already in use.
 */

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
};

/** `<Kind>/<name>: <problem>` for every object that does not type-check as its kubernetes-models interface. */
export function strictSchemaErrors(manifests: readonly Manifest[], root: string): string[] {
  const file = path.join(root, '__rendered-manifests__.ts');
  const imports = manifests.map(
    (m, i) => `import type { I${m.kind} as T${i} } from 'kubernetes-models/${m.apiVersion}/${m.kind}';`,
  );
  const objects = manifests.map((m, i) => `export const o${i}: T${i} = ${JSON.stringify(m)};`);
  const text = [...imports, ...objects].join('\n');

  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language, true) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);

  const program = ts.createProgram([file], COMPILER_OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const m = manifests[line >= imports.length ? line - imports.length : line];
    const where = m ? `${m.kind}/${m.metadata.name}` : 'rendered manifests';
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
