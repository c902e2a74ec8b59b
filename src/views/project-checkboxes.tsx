/**
 * Redmine's `render_project_nested_lists` with a checkbox per project: every project of the tenant as
 * nested `ul.projects` lists (subprojects inside their parent's item), each a labelled checkbox
 * named `name`, followed by a blank hidden value so that unchecking all still sends the field.
 */
import type { VNode } from 'preact';

export interface NestedProject {
  readonly id: number;
  readonly name: string;
  /** 0 for a root project. */
  readonly depth: number;
}

interface Node {
  readonly project: NestedProject;
  readonly children: Node[];
}

/** The flat list in tree order (each project right after its ancestors) as a tree. */
function treeOf(projects: readonly NestedProject[]): Node[] {
  const roots: Node[] = [];
  const path: Node[] = [];
  for (const project of projects) {
    const node: Node = { project, children: [] };
    path.length = Math.min(path.length, project.depth);
    const parent = path.at(-1);
    (parent ? parent.children : roots).push(node);
    path.push(node);
  }
  return roots;
}

function Branch({ nodes, name, checked, root }: { nodes: readonly Node[]; name: string; checked: ReadonlySet<number>; root: boolean }): VNode {
  return (
    <ul class={root ? 'projects root' : 'projects'}>
      {nodes.map(({ project, children }) => (
        <li class={root ? 'root' : 'child'}>
          <label>
            <input type="checkbox" name={name} value={String(project.id)} checked={checked.has(project.id)} /> {project.name}
          </label>
          {children.length > 0 ? <Branch nodes={children} name={name} checked={checked} root={false} /> : null}
        </li>
      ))}
    </ul>
  );
}

export function ProjectCheckboxes({ projects, name, checked }: { projects: readonly NestedProject[]; name: string; checked: readonly number[] }): VNode {
  return (
    <>
      <Branch nodes={treeOf(projects)} name={name} checked={new Set(checked)} root />
      <input type="hidden" name={name} value="" />
    </>
  );
}
