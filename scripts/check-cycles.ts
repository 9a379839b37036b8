/**
 * `npm run lint` stage: fails when modules import each other in a circle, type-only and dynamic imports included
 * (dependencies point one way: the catalog knows no server, the engine and the store know no HTTP, an app knows its
 * routes and not the other way round). Reads every TypeScript file under the source folders with TypeScript's own
 * import scanner, follows relative imports, and prints each cycle found as a chain of files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDERS = ['server', 'src', 'scripts', 'bench', 'test'];

/** Every .ts file under `dir`, as paths relative to the repo root with forward slashes. */
function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

/** The repo files `file` imports (relative specifiers only; packages cannot be part of a cycle of ours). */
function importsOf(file: string, known: Set<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)))
    .filter((target) => known.has(target));
}

/** The strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.reverse());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** One concrete loop through `component`, for the message: a -> b -> ... -> a. */
function loopThrough(component: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const trail = [start];
  const seen = new Set([start]);
  for (let at = start; ;) {
    const next = (graph.get(at) ?? []).filter((n) => members.has(n));
    const back = next.find((n) => n === start);
    if (back && trail.length > 1) return [...trail, start];
    const step = next.find((n) => !seen.has(n)) ?? back ?? next[0]!;
    if (seen.has(step)) return [...trail, step];
    trail.push(step);
    seen.add(step);
    at = step;
  }
}

const files = FOLDERS.flatMap(tsFiles);
const known = new Set(files);
const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
const found = cycles(graph);
if (found.length === 0) {
  console.log(`No import cycles among ${files.length} TypeScript files.`);
} else {
  console.error(`${found.length} import cycle(s); make the dependency point one way (move the shared part down):`);
  for (const component of found) {
    const loop = loopThrough(component, graph);
    const others = component.filter((file) => !loop.includes(file));
    console.error(`  ${loop.join(' -> ')}${others.length ? ` (and through ${others.join(', ')})` : ''}`);
  }
  process.exitCode = 1;
}
